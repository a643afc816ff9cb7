"""The shapes of the API's messages and errors, as `samenplan.api.error` writes them, for every
router's OpenAPI description."""

from ninja import Schema


class MessageOut(Schema):
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    message: str
    errors: list[FieldErrorOut] | None = None
