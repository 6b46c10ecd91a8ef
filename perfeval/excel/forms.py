from django import forms
from django.conf import settings

from perfeval.excel.safety import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="请上传本系统导出的工作簿或空白模板填好后的文件；导入前会先显示预览。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "EXCEL_IMPORT_MAX_BYTES", MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大：上限为 {limit / 1048576:.0f} MB")
        return upload


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
