"""The case around an application, shared by Meine Anträge and the back office
(docs/administration.md#meine-antrage): history.py writes the history, services.py the
messages, document requests and mailbox deliveries (each with its history entry in the
same transaction, the permission checked, the e-mail queued), notify.py that e-mail,
reminders.py the deadline reminders; views.py the applicant's pages, admin.py the
minimal staff side in the Django admin."""
