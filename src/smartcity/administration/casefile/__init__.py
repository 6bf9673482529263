"""The case file (E-Akte) of an application: documents with immutable versions, staff
notes, the file-plan number and retention class (docs/administration.md#e-akte). The
service layer is services.py; the back office's page is admin.py."""
