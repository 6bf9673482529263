"""What people in which roles may do in the administration domain (core.roles; the table
in docs/accounts.md): declared here, asked for with ``core.roles.may`` where it is done.
Import-light, as platform.py that names it."""

from smartcity.core.contract import Action

ACTIONS = (
    Action("administration.service.edit", "edit the service catalogue", ("admin",)),
    Action(
        "administration.application.read",
        "read a team's applications with the applicants' personal data",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.application.counter",
        "enter an application at the counter on a citizen's behalf, or a paper one",
        ("clerk",),
        team=True,
    ),
    Action(
        "administration.case.message",
        "write to the applicant of a team's application in Meine Anträge",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.request",
        "ask the applicant of a team's application for missing documents, withdraw it",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.deliver",
        "deliver a letter or notice (PDF) to the mailbox of a team's application",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.notice",
        "make a notice from a template for a team's application, preview and deliver it, "
        "and work the print jobs of notices on paper",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.record",
        "write an entry into the history of a team's application",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.casefile.read",
        "read the case file (E-Akte) of a team's application and download its documents",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.process",
        "move a team's application through its workflow (check, process, decide, close)",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.casefile.write",
        "add documents, new versions and notes to the case file of a team's application",
        ("clerk", "supervisor"),
        team=True,
    ),
    Action(
        "administration.case.archive",
        "hand a team's submitted application's file to the archive (xdomea export)",
        ("supervisor",),
        team=True,
    ),
    Action(
        "administration.case.approve",
        "approve or refuse a team's application another person processed (four eyes)",
        ("supervisor",),
        team=True,
    ),
    Action(
        "administration.payment.manage",
        "see a team's payments and the bank's unmatched credits, refund, clear them",
        ("clerk", "supervisor"),
        team=True,
    ),
)
