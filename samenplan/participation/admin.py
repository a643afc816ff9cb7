from django.contrib import admin

from samenplan.core.admin_helpers import ReadOnlyAdmin

from .models import Comment, PeerReview, PeerReviewInvitation, TopPoint


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["plan", "version", "section_key", "author", "council", "outcome", "created_at"]
    list_filter = ["outcome"]


@admin.register(TopPoint)
class TopPointAdmin(ReadOnlyAdmin):
    list_display = ["plan", "council", "location", "rank", "title"]


@admin.register(PeerReviewInvitation)
class PeerReviewInvitationAdmin(ReadOnlyAdmin):
    list_display = ["version", "organisation", "invited_by", "invited_at", "respond_by"]


@admin.register(PeerReview)
class PeerReviewAdmin(ReadOnlyAdmin):
    list_display = ["version", "organisation", "reviewer", "submitted_at"]
