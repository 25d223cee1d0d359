"""Background work of the programme records. Tasks take ids and call one service."""

from celery import shared_task


@shared_task(acks_late=True)
def erase_expired_consultation_data() -> int:
    """Erase residents' names, phones and e-mails of consultation requests ended longer ago
    than the retention period (SPEC section 8). Safe to run twice."""
    from programme.consultations.services import consultation_personal_data_erase_expired

    return consultation_personal_data_erase_expired()
