"""The signed-in user's own password change."""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, every reason for refusing a new password in one message.

    viewflow's field shows only a field's first error; someone told "too short" and then, on
    the next try, "too common" would rightly feel led on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain text: viewflow shows help text as an attribute, where Django's <ul> list of the
        # rules would appear as raw tags.
        self.fields["new_password1"].help_text = "".join(password_validation.password_validators_help_texts())

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, "".join(error.messages))
