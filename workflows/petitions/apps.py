from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "workflows.petitions"
    label = "petitions"
    verbose_name = "信访"

    def ready(self):
        # The household page shows the petitions about it; core, below this app, imports
        # nothing of it.
        from workflows.core.panels import register, register_case

        from .panels import case_petitions, household_petitions

        register(household_petitions)
        register_case(case_petitions)
