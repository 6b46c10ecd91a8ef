"""Reading an evidence upload so that a hostile request is refused whole before any body is kept: too many
files stop the parse at the first one over the count, a file over the size limit stops it at the chunk that
crosses it, and each file name is judged as the browser sent it (Django's own clean-up would quietly cut a
path or a long name away)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParser, MultiPartParserError

from perfeval.evidence.content import megabytes, name_problem


class LimitHandler(FileUploadHandler):
    """First in the chain: counts files and bytes and stops the whole parse at the first excess; the next
    handler (Django's memory or temporary-file handler) keeps the chunks it passes on."""

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0
        self.current = 0
        self.refusal: str | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        self.current = 0
        limit = settings.EVIDENCE_MAX_PER_UPLOAD
        if self.files > limit:
            self.refusal = f"一次最多上传 {limit} 个文件，本次超过了这个数目：未保存任何文件"
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.current += len(raw_data)
        limit = settings.EVIDENCE_MAX_BYTES
        if self.current > limit:
            self.refusal = (
                f"文件「{(self.file_name or '')[:50]}」超过 {megabytes(limit)} 的上限：未保存任何文件"
            )
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class _Parser(MultiPartParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_problems: list[str] = []

    def sanitize_file_name(self, file_name):
        problem = name_problem(file_name)
        if problem:
            self.name_problems.append(problem)
        return super().sanitize_file_name(file_name)


def read_upload(request) -> str | None:
    """Parse the multipart body of ``request`` into request.POST and request.FILES with the limits above;
    the refusal message (nothing of the request is to be stored) or None. Call before anything reads
    request.POST — the view is csrf_exempt and checks the token itself after this."""
    limiter = LimitHandler(request)
    request.upload_handlers = [limiter, *request.upload_handlers]
    if not request.content_type.startswith("multipart/form-data"):
        request._post, request._files = request.POST, request.FILES
        return None
    parser = _Parser(request.META, request, request.upload_handlers, request.encoding)
    try:
        request._post, request._files = parser.parse()
    except (MultiPartParserError, RequestDataTooBig, SuspiciousOperation):
        # Django's multipart parser allows 1 KB of headers per part: a file name of thousands of characters
        # ends here, as does a request with more files than DATA_UPLOAD_MAX_NUMBER_FILES.
        request._post, request._files = {}, {}
        return (
            f"上传内容无法读取：文件名过长（最多 {settings.EVIDENCE_MAX_NAME_LENGTH} 个字符）、文件过多或"
            "请求格式有误：未保存任何文件"
        )
    if limiter.refusal:
        return limiter.refusal
    if parser.name_problems:
        return parser.name_problems[0] + "：未保存任何文件"
    return None
