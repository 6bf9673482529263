"""People's accounts: citizens register or log in through the city's identity broker
(OpenID Connect), staff log in with two factors; "Mein Konto" shows, exports and deletes
what is stored about a person. Roles and what they permit are core.roles."""
