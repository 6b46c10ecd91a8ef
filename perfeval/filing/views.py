from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse("")


@login_required
def report_detail(request, report_id):
    return HttpResponse("")
