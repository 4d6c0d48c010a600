"""The admin's share of the permission rules: a mixin for the rigenerazione ModelAdmins.

For a municipality operator it scopes the change list and the history pages to their Comuni,
refuses changes to other Comuni's records (and while under review), hands the writing user
to the model's validation (which refuses a geometry outside their Comuni), keeps the
publication fields read-only and turns an edited published record back into a draft;
restoring an old version from the history pages is left to reviewers. Reviewers and
administrators see everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from contributi.permissions import (
    can_change,
    can_create_in,
    editable_records,
    is_reviewer,
    operator_comuni_ids,
    record_comuni_ids,
)
from contributi.services import NOT_ALLOWED, record_mark_edited
from territorio.models import Comune

__all__ = ["ComuneScopedAdminMixin"]

REVIEW_FIELDS = ("publication_state", "review_comment", "withdrawn_on", "is_sample")


class ComuneScopedAdminMixin:
    """Put it first in the bases: ``class InterventoAdmin(ComuneScopedAdminMixin, ...)``."""

    def get_queryset(self, request):
        return editable_records(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        # An old version (history pages) may lie in the operator's Comune while the record
        # itself no longer does: both must be theirs.
        return allowed and can_change(request.user, obj) and self._in_scope(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        # The history pages (simple_history) load the record from the history table, not
        # through get_queryset: the scope is checked on the object itself.
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj))

    def _in_scope(self, request, obj) -> bool:
        current = self.model._default_manager.filter(pk=obj.pk)
        return editable_records(request.user, current).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version is the reviewer's (contributi.services.record_restore): an
        # operator's revert would skip the review lock and the Comuni derived from the geometry.
        if request.method == "POST" and not is_reviewer(request.user):
            raise PermissionDenied(NOT_ALLOWED)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Records are never deleted: they are withdrawn (an end date) and stay in history.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if is_reviewer(request.user):
            return fields
        return fields + tuple(f for f in REVIEW_FIELDS if f not in fields)

    def _scope_comuni(self, db_field, request, kwargs) -> None:
        if db_field.related_model is Comune and not is_reviewer(request.user):
            kwargs["queryset"] = Comune.objects.filter(pk__in=operator_comuni_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_comuni(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_comuni(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form tells the model who is writing, so the model's own validation
        (``clean()``: :func:`rules.writers.may_write_in` on the geometry's Comuni) refuses
        a geometry outside the user's Comuni with a message on the geometry field."""
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class WriterForm(form):
            def _post_clean(self):
                self.instance.writer = user
                if "geom" in self.changed_data and hasattr(self.instance, "comune_id"):
                    self.instance.comune_id = None  # derived again from the new perimeter
                super()._post_clean()

        return WriterForm

    def save_model(self, request, obj, form, change) -> None:
        if change:
            record_mark_edited(record=obj, user=request.user)
        if not change and not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _check_stored(self, request, obj) -> None:
        # Runs inside the admin's transaction after save_model and save_related (including
        # a subclass's own save_related that derives the Comuni from a moved geometry), so
        # raising here rolls the whole change back.
        if not can_create_in(request.user, record_comuni_ids(obj)):
            raise PermissionDenied(NOT_ALLOWED)

    def response_add(self, request, obj, *args, **kwargs):
        self._check_stored(request, obj)
        return super().response_add(request, obj, *args, **kwargs)

    def response_change(self, request, obj):
        self._check_stored(request, obj)
        return super().response_change(request, obj)
