from django import forms

from .models import FrameworkSection


class FrameworkSectionForm(forms.ModelForm):
    class Meta:
        model = FrameworkSection
        fields = ["title", "group", "guidance", "required"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 4})}
