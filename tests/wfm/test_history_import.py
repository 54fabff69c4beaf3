"""history_import_file: Finnish formats, per-contact aggregation, DST, all-or-nothing, no doubling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.wfm import importing, services
from aspa.wfm.models import ContactInterval
from tests.wfm.factories import QueueFactory

UTC = dt.UTC


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, interval_minutes=15)


def _file(tmp_path, text: str, name: str = "h.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_finnish_interval_file_is_imported(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "Alkuaika;Tarjotut;Vastatut;Luopuneet;Käsittelyaika\n"
        "3.2.2025 8.00;10;9;1;185,5\n"
        "3.2.2025 8.15;1 204;1 200;4;3:10\n",
    )
    summary = services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert (summary.rows, summary.intervals, summary.created) == (2, 2, 2)
    rows = list(
        ContactInterval.objects.order_by("start").values_list("start", "offered", "handled", "aht_seconds")
    )
    assert rows[0] == (dt.datetime(2025, 2, 3, 6, 0, tzinfo=UTC), 10, 9, 185.5)
    assert rows[1][1:] == (1204, 1200, 190.0)
    assert AuditEntry.objects.filter(action="wfm.history.import").count() == 1


def test_reimport_does_not_double(queue, member_of, tmp_path):
    path = _file(tmp_path, "start,offered\n2025-02-03 08:00,10\n2025-02-03 08:15,12\n")
    actor = member_of(Role.PLANNER)
    services.history_import_file(actor=actor, queue=queue, path=path)
    again = services.history_import_file(actor=actor, queue=queue, path=path)
    assert (again.created, again.updated) == (0, 2)
    assert ContactInterval.objects.count() == 2
    assert sum(ContactInterval.objects.values_list("offered", flat=True)) == 22


def test_bad_rows_are_reported_by_line_and_nothing_is_written(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "Alkuaika;Tarjotut;Vastatut\n3.2.2025 8.00;10;9\n32.2.2025 8.15;5;5\n3.2.2025 8.30;-1;0\n3.2.2025 8.45;3;9\n",
    )
    with pytest.raises(services.HistoryImportError) as caught:
        services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    errors = caught.value.row_errors
    assert caught.value.error_count == 3
    assert errors[0].startswith("Rivi 3:") or errors[0].startswith("Line 3:")
    assert any("4" in e.split(":")[0] for e in errors) and any("5" in e.split(":")[0] for e in errors)
    assert ContactInterval.objects.count() == 0


def test_error_messages_are_module_constants(queue):
    table = importing.Table(
        header=["start", "offered"], rows=iter([(2, ["x", "1"]), (3, ["2025-02-03 08:00", "a"])])
    )
    parsed = importing.parse_history(
        table, importing.guess_mapping(["start", "offered"]), interval_minutes=15
    )
    assert [e.message for e in parsed.errors] == [importing.ERR_BAD_DATETIME, importing.ERR_BAD_COUNT]


def test_per_contact_rows_are_counted_into_intervals(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "arrival;answered;duration\n"
        "2025-02-03 08:01:10;2025-02-03 08:01:30;120\n"
        "2025-02-03 08:07:00;;\n"
        "2025-02-03 08:16:00;2025-02-03 08:16:05;2:00\n",
    )
    services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    rows = list(
        ContactInterval.objects.order_by("start").values_list(
            "offered", "handled", "abandoned", "aht_seconds"
        )
    )
    assert rows == [(2, 1, 1, 120.0), (1, 1, 0, 120.0)]


def test_autumn_dst_repeated_hour_is_two_intervals(queue, member_of, tmp_path):
    # 26.10.2025 04:00 local happens twice (EEST then EET).
    path = _file(tmp_path, "start;offered\n26.10.2025 3.45;1\n26.10.2025 3.00;2\n26.10.2025 3.00;3\n")
    services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    starts = list(ContactInterval.objects.order_by("start").values_list("start", "offered"))
    assert starts[0] == (dt.datetime(2025, 10, 26, 0, 0, tzinfo=UTC), 2)
    assert starts[-1] == (dt.datetime(2025, 10, 26, 1, 0, tzinfo=UTC), 3)


def test_spring_gap_time_is_an_error(queue, member_of, tmp_path):
    path = _file(tmp_path, "start;offered\n30.3.2025 3.15;1\n")
    with pytest.raises(services.HistoryImportError):
        services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert ContactInterval.objects.count() == 0


def test_too_large_file_is_refused(queue, member_of, tmp_path, settings):
    settings.ASPA_MAX_UPLOAD_BYTES = 10
    path = _file(tmp_path, "start;offered\n3.2.2025 8.00;1\n")
    with pytest.raises(services.ValidationError):
        services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert ContactInterval.objects.count() == 0


def test_agent_and_lead_cannot_import(queue, member_of, tmp_path):
    path = _file(tmp_path, "start;offered\n3.2.2025 8.00;1\n")
    for role in (Role.AGENT, Role.LEAD):
        with pytest.raises(PermissionDenied):
            services.history_import_file(actor=member_of(role), queue=queue, path=path)
    assert ContactInterval.objects.count() == 0


def test_cannot_import_into_another_organisations_queue(other_org, member_of, tmp_path):
    foreign = QueueFactory(organisation=other_org)
    path = _file(tmp_path, "start;offered\n3.2.2025 8.00;1\n")
    with pytest.raises(services.ValidationError):
        services.history_import_file(actor=member_of(Role.ADMIN), queue=foreign, path=path)
    assert ContactInterval.objects.count() == 0


def test_cp1252_and_tab_delimited(queue, member_of, tmp_path):
    path = _file(tmp_path, "Päivämäärä\tKlo\tSaapuneet\n3.2.2025\t8.00\t7\n", encoding="cp1252")
    services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert ContactInterval.objects.get().offered == 7


def test_upload_preview_confirm_flow(queue, member_of, client_for, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.ASPA_WFM_UPLOAD_DIR = tmp_path
    client = client_for(member_of(Role.PLANNER))
    upload = SimpleUploadedFile("h.csv", b"Alkuaika;Tarjotut\n3.2.2025 8.00;4\n", content_type="text/csv")
    response = client.post(reverse("wfm:history_upload", kwargs={"queue_id": queue.pk}), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "3.2.2025 8.00" in preview.content.decode()
    assert ContactInterval.objects.count() == 0
    done = client.post(response["Location"], {"kind": "intervals", "col_start": "0", "col_offered": "1"})
    assert done.status_code == 302
    assert ContactInterval.objects.get().offered == 4
