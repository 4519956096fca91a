from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhijia.organizations"
    label = "organizations"
    verbose_name = "组织架构"
