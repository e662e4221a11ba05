"""What every task form shares."""

from django import forms


def task_form(process_model) -> type[forms.ModelForm]:
    """The base of a process's task forms: a ModelForm of the process that edits no column
    itself (viewflow's task views want a ModelForm; services do the writing)."""
    meta = type("Meta", (), {"model": process_model, "fields": []})
    return type(f"{process_model.__name__}TaskForm", (forms.ModelForm,), {"Meta": meta, "__module__": __name__})
