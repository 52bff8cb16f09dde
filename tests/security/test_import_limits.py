"""Issue 13, findings 1 and 6: inputs that made the importer use gigabytes or answer 500,
posted to the admin import page as an editor and given to the command. Each is refused
with a reason that names what was refused, and nothing is written. (Peak memory is
measured outside the suite; bench/RESULTS.md and the README give the figures.)"""

import re

import pytest
from django.urls import reverse

from publications.models import ImportRun, Publication

pytestmark = pytest.mark.django_db
URL = "admin:publications_publication_import"


def macro_bomb(levels: int) -> str:
    """~700 bytes: a 100-character @string doubled ``levels`` times (22 levels: 400 MB)."""
    lines = ['@string{a0 = "' + "x" * 100 + '"}']
    lines += [f"@string{{a{n} = a{n - 1} # a{n - 1}}}" for n in range(1, levels + 1)]
    lines.append(f"@misc{{bomb, title = a{levels}, year = 2024}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def run_command(tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def run(text, *args):
        path = tmp_path / "papers.txt"
        path.write_text(text)
        out = StringIO()
        try:
            call_command("import_papers", str(path), *args, stdout=out, stderr=out)
        except CommandError as error:
            return str(error) + "\n" + out.getvalue()
        return out.getvalue()

    return run


def test_a_macro_bomb_is_700_bytes():
    assert 600 < len(macro_bomb(22).encode()) < 720


def test_a_macro_bomb_through_the_admin_import_page_names_the_macro_and_the_entry(
    editor_client,
):
    page = editor_client.post(reverse(URL), {"text": macro_bomb(22)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "@string “a22” expands to 419,430,400 characters" in text
    assert "(bomb)" in text and "field “title”" in text
    assert "token" not in page.context or not page.context["token"]
    assert not Publication.objects.exists()


@pytest.mark.parametrize("levels", [22, 23])
def test_a_macro_bomb_through_the_command_is_refused(run_command, levels):
    output = run_command(macro_bomb(levels))
    assert f"@string a{levels}): @string “a{levels}” expands to" in output
    assert "papers.txt, line" in output and "(bomb): field “title”" in output
    assert "nothing was written" in output
    assert not Publication.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_macros_under_the_limits_still_join(run_command):
    text = (
        '@string{venue = "Proceedings of " # "the Workshop"}\n'
        "@string{longer = venue # { on Safety}}\n"
        "@inproceedings{ok, title = {Fine}, booktitle = longer, year = 2024}\n"
    )
    assert re.search(r"created +1\n", run_command(text))
    assert Publication.objects.get().venue == "Proceedings of the Workshop on Safety"


def test_many_uses_of_a_large_macro_stop_at_the_expansion_limit(run_command):
    big = "x" * 900_000
    text = f'@string{{big = "{big}"}}\n' + "".join(
        f"@misc{{k{n}, title = {{T{n}}}, note = big, year = 2024}}\n" for n in range(40)
    )
    output = run_command(text, "--skip-invalid")
    assert "@string macros expand to more than 33,554,432 characters in this input" in output
    assert "(at “big”" in output


def test_an_entry_over_the_record_limit_is_refused_and_the_next_one_read(run_command):
    text = (
        "@article{huge, title = {Huge}, year = 2024, abstract = {"
        + "lorem ipsum " * 100_000
        + "}}\n@article{small, title = {Small}, year = 2024}\n"
    )
    output = run_command(text, "--skip-invalid", "--max-record-bytes", "512K")
    assert "papers.txt, line 1 (huge): broken entry: the entry is" in output
    assert "longer than 524,288 characters, the most one entry may hold" in output
    assert list(Publication.objects.values_list("title", flat=True)) == ["Small"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"type": "article-journal", "title": "Big", "volume": 1' + "0" * 100_000 + "}]", None),
        ('[{"type": "article-journal", "title": "NaN", "volume": NaN}]', "NaN is not"),
        (
            '[{"type": "article-journal", "title": "Inf", "volume": 1e999}]',
            "the number 1e999 is too large to store",
        ),
        ('[{"type": "article-journal", "title": "Inf", "volume": -Infinity}]', "-Infinity is not"),
    ],
    ids=["100,000-digit integer", "NaN", "1e999", "-Infinity"],
)
def test_json_numbers_that_cannot_be_stored_are_a_clear_error(
    editor_client, run_command, text, message
):
    message = message or "an integer with 100,001 digits (the most taken is 30)"
    page = editor_client.post(reverse(URL), {"text": text})
    assert page.status_code == 200
    assert f"malformed JSON: {message}" in page.content.decode()
    output = run_command(text)
    assert f"malformed JSON: {message}" in output
    assert "nothing was written" in output
    assert not Publication.objects.exists()


def test_online_json_with_nan_is_refused_too():
    from publications.importing.fetch import FetchError, Response

    with pytest.raises(FetchError, match="returned JSON that is refused: NaN is not"):
        Response(200, b'{"message": {"title": ["x"], "volume": NaN}}', "https://x.test").json()


def test_a_large_entry_is_refused_and_skipped_unkept(tmp_path):
    """The scanner stops keeping text once an entry passes the limit and skips to the next
    entry; the command's peak memory on a 200 MB entry is in the README."""
    from publications.importing import bibtex
    from publications.importing.records import RecordProblem

    path = tmp_path / "big.bib"
    with path.open("w") as out:
        out.write("@article{big, title = {Big}, year = 2024, abstract = {")
        out.write(("lorem ipsum dolor sit amet " * 40 + "\n") * 10_000)  # ~11 MB
        out.write("}}\n@article{after, title = {After}, year = 2024}\n")
    with path.open(encoding="utf-8") as stream:
        items = list(bibtex.parse(stream, "big.bib"))
    assert [str(item) for item in items if isinstance(item, RecordProblem)] == [
        "big.bib, line 1 (big): broken entry: the entry is longer than 4,194,304 characters, "
        "the most one entry may hold (import_papers --max-record-bytes)"
    ]
    assert [item.title for item in items if not isinstance(item, RecordProblem)] == ["After"]
