"""A job's page: a progress bar that refreshes itself until the work is done, then the download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import error_page

from .selectors import job_get
from .services import job_file_download


@login_required
def detail(request: HttpRequest, job_id: str) -> HttpResponse:
    try:
        job = job_get(actor=request.user, job_id=job_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
def progress_fragment(request: HttpRequest, job_id: str) -> HttpResponse:
    try:
        job = job_get(actor=request.user, job_id=job_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.is_finished:
        # htmx stops polling when the server answers 286.
        response.status_code = 286
    return response


@login_required
def download(request: HttpRequest, job_id: str) -> HttpResponseBase:
    try:
        job, content = job_file_download(actor=request.user, job_id=job_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return FileResponse(content, as_attachment=True, filename=str(job.result_file.name).rsplit("/", 1)[-1])
