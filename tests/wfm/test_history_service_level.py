"""Answered within the service-level target: the optional interval column, per-contact waits, the API."""

from __future__ import annotations

import datetime as dt

import pytest

from aspa.core.roles import Role
from aspa.wfm import importing, services
from aspa.wfm.models import ContactInterval
from tests.wfm.factories import QueueFactory

UTC = dt.UTC


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, interval_minutes=15, service_level_seconds=20)


def _file(tmp_path, text: str, name: str = "h.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _in_sl():
    return list(ContactInterval.objects.order_by("start").values_list("offered", "answered_in_sl"))


@pytest.mark.parametrize(
    "header",
    ["Vastattu tavoiteajassa", "tavoiteajassa", "answered_in_sl", "Answered within", "In SL", "sl_answered"],
)
def test_interval_column_is_guessed_from_finnish_and_english_headers(header):
    mapping = importing.guess_mapping(["Alkuaika", header, "Tarjotut", "Vastatut"])
    assert mapping.kind == importing.KIND_INTERVALS
    assert mapping.columns["answered_in_sl"] == 1
    assert mapping.columns["handled"] == 3


def test_interval_file_with_answered_in_sl_is_stored_and_summed(queue, member_of, tmp_path):
    # Two 5-minute rows make one 15-minute interval: 8 + 9 within target of 10 + 12 offered.
    path = _file(
        tmp_path,
        "Alkuaika;Tarjotut;Vastatut;Luopuneet;Vastattu tavoiteajassa\n"
        "3.2.2025 8.00;10;10;0;8\n"
        "3.2.2025 8.05;12;11;1;9\n"
        "3.2.2025 8.15;5;5;0;5\n",
    )
    summary = services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert summary.intervals_with_service_level == 2
    assert _in_sl() == [(22, 17), (5, 5)]


def test_empty_cell_leaves_the_interval_unknown_and_no_column_means_none(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "Alkuaika;Tarjotut;Vastattu tavoiteajassa\n3.2.2025 8.00;10;8\n3.2.2025 8.05;4;\n3.2.2025 8.15;5;4\n",
    )
    actor = member_of(Role.PLANNER)
    summary = services.history_import_file(actor=actor, queue=queue, path=path)
    assert summary.intervals_with_service_level == 1
    assert _in_sl() == [(14, None), (5, 4)]
    # A re-import without the column replaces the counts and forgets what it no longer knows.
    services.history_import_file(
        actor=actor, queue=queue, path=_file(tmp_path, "Alkuaika;Tarjotut\n3.2.2025 8.15;6\n", "b.csv")
    )
    assert _in_sl() == [(14, None), (6, None)]


def test_answered_in_sl_above_offered_or_not_a_count_is_a_line_error(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "Alkuaika;Tarjotut;Vastattu tavoiteajassa\n"
        "3.2.2025 8.00;10;8\n"
        "3.2.2025 8.15;10;11\n"
        "3.2.2025 8.30;10;puolet\n"
        "3.2.2025 8.45;10;-2\n",
    )
    with pytest.raises(services.HistoryImportError) as caught:
        services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert caught.value.error_count == 3
    lines = [e.split(":")[0] for e in caught.value.row_errors]
    assert [line[-1] for line in lines] == ["3", "4", "5"]
    assert ContactInterval.objects.count() == 0


def test_parse_errors_name_the_constant():
    table = importing.Table(
        header=["start", "offered", "in_sl"],
        rows=iter([(2, ["2025-02-03 08:00", "3", "4"]), (3, ["2025-02-03 08:15", "3", "x"])]),
    )
    parsed = importing.parse_history(
        table, importing.guess_mapping(["start", "offered", "in_sl"]), interval_minutes=15
    )
    assert [e.message for e in parsed.errors] == [importing.ERR_IN_SL_ABOVE_OFFERED, importing.ERR_BAD_COUNT]
    assert parsed.errors[0].params == {"value": 4, "offered": 3}


def test_per_contact_wait_is_compared_with_the_queue_target(queue, member_of, tmp_path):
    # Target 20 s. Interval 8:00: waits 20 s (in), 21 s (out), abandoned (out) -> 1 of 3.
    # Interval 8:15: waits 5 s (in) and 65 s across a minute boundary (out) -> 1 of 2.
    path = _file(
        tmp_path,
        "arrival;answered;duration\n"
        "2025-02-03 08:01:10;2025-02-03 08:01:30;120\n"
        "2025-02-03 08:02:50;2025-02-03 08:03:11;60\n"
        "2025-02-03 08:07:00;;\n"
        "2025-02-03 08:16:00;2025-02-03 08:16:05;2:00\n"
        "2025-02-03 08:29:30;2025-02-03 08:30:35;30\n",
    )
    summary = services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert summary.intervals_with_service_level == 2
    assert list(
        ContactInterval.objects.order_by("start").values_list("offered", "handled", "answered_in_sl")
    ) == [(3, 2, 1), (2, 2, 1)]


def test_per_contact_wait_across_midnight_and_offsets(queue):
    table = importing.Table(
        header=["arrival", "answered"],
        rows=iter(
            [
                (2, ["3.2.2025 23.59.50", "4.2.2025 0.00.05"]),  # 15 s across midnight: in
                (3, ["2025-02-03T06:00:00Z", "2025-02-03 08:00:15"]),  # UTC vs local Helsinki: 15 s, in
                (4, ["2025-02-03T06:00:00Z", "2025-02-03T06:00:40+00:00"]),  # 40 s: out
            ]
        ),
    )
    parsed = importing.parse_history(
        table, importing.guess_mapping(["arrival", "answered"]), interval_minutes=15, service_level_seconds=20
    )
    assert not parsed.errors
    cells = [parsed.totals[k] for k in sorted(parsed.totals)]
    assert [(c[0], c[5], c[6]) for c in cells] == [(2, 1, 0), (1, 1, 0)]


def test_per_contact_rows_without_answer_times_leave_it_unknown(queue, member_of, tmp_path):
    path = _file(tmp_path, "arrival;abandoned\n2025-02-03 08:01:10;0\n2025-02-03 08:02:10;1\n")
    summary = services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert summary.intervals_with_service_level == 0
    assert _in_sl() == [(2, None)]


def test_abandoned_flag_with_answer_times(queue, member_of, tmp_path):
    path = _file(
        tmp_path,
        "arrival;answered;abandoned\n"
        "2025-02-03 08:01:10;2025-02-03 08:01:15;0\n"
        "2025-02-03 08:02:10;;1\n"
        "2025-02-03 08:03:10;2025-02-03 08:03:40;0\n",
    )
    services.history_import_file(actor=member_of(Role.PLANNER), queue=queue, path=path)
    assert list(ContactInterval.objects.values_list("offered", "abandoned", "answered_in_sl")) == [(3, 1, 1)]


def test_api_import_reports_intervals_with_service_level(org, member_of, client_for):
    from django.urls import reverse

    queue = QueueFactory(organisation=org)
    body = "Alkuaika;Tarjotut;Vastattu tavoiteajassa\n3.2.2025 8.00;4;3\n3.2.2025 9.00;6;\n"
    response = client_for(member_of(Role.PLANNER)).post(
        reverse("api:wfm_history_import", kwargs={"queue_id": queue.pk}), body, content_type="text/csv"
    )
    assert response.status_code == 200, response.content
    assert response.json()["intervals_with_service_level"] == 1
    assert _in_sl() == [(4, 3), (6, None)]


def test_mapping_preview_offers_the_column(queue, member_of, client_for, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.ASPA_WFM_UPLOAD_DIR = tmp_path
    client = client_for(member_of(Role.PLANNER))
    upload = SimpleUploadedFile(
        "h.csv", b"Alkuaika;Tarjotut;Vastattu tavoiteajassa\n3.2.2025 8.00;4;3\n", content_type="text/csv"
    )
    response = client.post(reverse("wfm:history_upload", kwargs={"queue_id": queue.pk}), {"file": upload})
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert 'name="col_answered_in_sl"' in preview.content.decode()
    assert preview.context["form"].initial["col_answered_in_sl"] == "2"
    done = client.post(
        response["Location"],
        {"kind": "intervals", "col_start": "0", "col_offered": "1", "col_answered_in_sl": "2"},
    )
    assert done.status_code == 302
    assert _in_sl() == [(4, 3)]
