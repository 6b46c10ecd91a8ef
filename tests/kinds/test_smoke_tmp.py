def test_pages(filled_project_report, preparer_client):
    r = filled_project_report
    for url in [
        f"/reports/{r.pk}/",
        f"/reports/{r.pk}/edit/",
        f"/reports/{r.pk}/edit/projects/",
        f"/reports/{r.pk}/check/",
    ]:
        resp = preparer_client.get(url)
        print(url, resp.status_code)
        assert resp.status_code == 200, resp.content[:3000]
    for url in [
        f"/reports/{r.pk}/edit/text/",
        f"/reports/{r.pk}/edit/attachment1/",
        f"/reports/{r.pk}/edit/attachment2/",
    ]:
        assert preparer_client.get(url).status_code == 404
    p = r.projects.first()
    resp = preparer_client.get(f"/reports/{r.pk}/edit/projects/{p.pk}/attachment3/")
    assert resp.status_code == 200
