"""The form of a notice's delivery (送达), on the notice's own page and on a task that delivers it."""

from django import forms

from documents.delivery import check_proof
from documents.models import DeliveryMethod


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)
    day = forms.DateField(label="送达日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # what <input type=date> reads
    proof = forms.FileField(label="送达回证（PDF/JPG/PNG，不超过 10 MB）", required=False)

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            check_proof(proof)
        return proof
