"""FIM xDatenfelder 3.0 into the platform's form format (docs/administration.md,
"Importing FIM xDatenfelder"): ``reader`` parses a Stammdatenschema (safely: no DTD, no
entities), ``codelists`` reads genericode code lists it refers to, ``mapping`` turns it
into JSON Schema and steps, ``command`` is `smartcity service import-xdf`."""
