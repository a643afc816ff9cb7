from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only a service may write (decisions, reviews, adoptions): the admin shows
    them, so a platform admin can answer questions, but cannot change what a council or peer decided."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
