"""How a service's applications are worked, from received to closed
(docs/administration.md#bearbeitung-workflow): definition.py reads a workflow from data
(the default, or a service's own Workflow) into a small table-driven machine,
services.py fires its transitions on a case (checked, locked, written to the history),
hooks.py moves a case back to the check when the applicant answers a document request,
admin.py is the "Bearbeitungsstand" form on the back office's application page."""
