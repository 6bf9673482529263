"""Notices (Bescheide) from a template per service as PDF/A-3b (docs/administration.md#bescheide):
templates.py the placeholder language and its check, remedy.py the legal remedy as cited
data, letter.py what a notice says for an application (fees, Kassenzeichen, GiroCode),
services.py preview and delivery (mailbox, print job), admin.py the back office's form."""
