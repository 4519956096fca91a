"""Forms for the tree pages. They only parse input; the placement rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import KIND_LEVEL, LEVEL_RANK, Organization, OrgKind


class OrgChildForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    code = forms.CharField(label=_("组织编码"), max_length=40)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: object, parent: Organization, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Offer only the kinds that may sit below this parent.
        rank = LEVEL_RANK[parent.level]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k, label) for k, label in OrgKind.choices if LEVEL_RANK[KIND_LEVEL[k]] > rank]


class OrgMoveForm(forms.Form):
    new_parent_code = forms.CharField(label=_("新上级组织编码"), max_length=40)
