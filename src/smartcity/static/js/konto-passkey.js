// After a passkey is set up (django-otp-webauthn's event), on to the recovery codes: the
// person has passed the second factor with it, and should keep a way in without it.
const enrol = document.getElementById("passkey-enrol");
if (enrol) {
  enrol.addEventListener("otp_webauthn.register_complete", () => {
    window.location.assign(enrol.dataset.next);
  });
}
