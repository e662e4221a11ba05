"""What every task form shares."""

from typing import ClassVar

from django import forms


class TaskForm(forms.ModelForm):
    """The base of a process's task forms: a ModelForm of the process that edits no column
    itself (viewflow's task views want a ModelForm; services do the writing). A process's base
    names its model: `class Meta(TaskForm.Meta): model = ApplicationProcess`."""

    class Meta:
        fields: ClassVar[list[str]] = []
