"""E-mails of the review workflow (Django's mail framework; the backend comes from EMAIL_URL,
the console in development): the reviewers hear of a record sent for review, its operator of
a record published or sent back. Sent once the change is committed, with a link to it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from contributi.permissions import REVIEW_PERMISSION

__all__ = ["notify_submitted", "notify_published", "notify_sent_back", "reviewer_addresses"]


def reviewer_addresses() -> list[str]:
    """The e-mail addresses of the active reviewers (the group's permission or superusers)."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    wanted = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(is_superuser=True)
    users = get_user_model().objects.filter(wanted, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject: str, body: str, to: list[str]) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, None, to, fail_silently=False))


def notify_submitted(*, record, by, link: str) -> None:
    subject = _("Remix: «%(record)s» da revisionare") % {"record": record}
    body = _("%(user)s ha inviato in revisione «%(record)s».\n\nRevisionalo qui: %(link)s\n") % {
        "user": by.get_username(),
        "record": record,
        "link": link,
    }
    _send(subject, body, reviewer_addresses())


def _author(record) -> list[str]:
    author = getattr(record, "created_by", None)
    return [author.email] if author is not None and author.email else []


def notify_published(*, record, link: str, note: str = "") -> None:
    subject = _("Remix: «%(record)s» è pubblicato") % {"record": record}
    body = _("«%(record)s» è stato pubblicato ed è sulla mappa pubblica.\n\n%(link)s\n") % {
        "record": record,
        "link": link,
    }
    if note:
        body += "\n" + _("Nota del revisore: %(note)s") % {"note": note} + "\n"
    _send(subject, body, _author(record))


def notify_sent_back(*, record, link: str) -> None:
    subject = _("Remix: «%(record)s» rinviato al Comune") % {"record": record}
    body = _(
        "Il revisore ha rinviato «%(record)s» con questa nota:\n\n%(note)s\n\n"
        "Correggilo qui e invialo di nuovo: %(link)s\n"
    ) % {"record": record, "note": record.review_comment, "link": link}
    _send(subject, body, _author(record))
