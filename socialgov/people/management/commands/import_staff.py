"""Import the HR system's staff CSV from the command line: preview by default, apply with --apply."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialgov.people.staff_import import (
    ImportPlan,
    PersonChange,
    StaffImportError,
    staff_import_apply,
    staff_import_create,
    staff_import_decode,
    staff_import_parse,
    staff_import_plan,
)


class Command(BaseCommand):
    help = (
        "Check a staff list CSV exported from the HR system and print what it would change. "
        "Nothing is changed unless --apply is given; then every change is applied, or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8, header row first).")
        parser.add_argument("--apply", action="store_true", help="Apply the changes (default: only preview them).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            content = staff_import_decode(data)
        except StaffImportError as exc:
            raise CommandError(str(exc)) from exc

        if options["apply"]:
            staff_import = staff_import_create(file_name=path.name, content=content, uploaded_by=None)
            try:
                plan = staff_import_apply(staff_import=staff_import, applied_by=None)
            except StaffImportError as exc:
                raise CommandError(str(exc)) from exc
        else:
            plan = staff_import_plan(parsed=staff_import_parse(content))

        if not plan.is_valid:
            self._print_errors(plan, path.name)
            raise CommandError(f"{len(plan.errors):,} problem(s) in {path.name}: nothing has been applied.")
        self._print_plan(plan, path.name)
        if options["apply"]:
            self.stdout.write(self.style.SUCCESS(f"Applied (import {staff_import.pk}): {plan.describe()}"))
        else:
            self.stdout.write(f"Nothing has been applied. {plan.describe()}")
            if plan.has_changes:
                self.stdout.write("Run the command again with --apply to apply these changes.")

    def _print_errors(self, plan: ImportPlan, name: str) -> None:
        self.stderr.write(f"{name}: {len(plan.errors):,} problem(s). Line numbers count the header as line 1.")
        for error in plan.errors:
            column = error.column or "(whole line)"
            value = f" [{error.value}]" if error.value else ""
            self.stderr.write(f"  line {error.line}, {column}{value}: {error.message}")

    def _print_plan(self, plan: ImportPlan, name: str) -> None:
        out = self.stdout.write
        out(f"{name}: {plan.rows:,} people in the file.")
        if plan.ignored_columns:
            out(f"Ignored columns: {', '.join(plan.ignored_columns)}")
        if plan.departments:
            out(f"Departments to create ({len(plan.departments):,}):")
            for department in plan.departments:
                out(f"  {department}")
        self._section("New people", plan.new, lambda p: f"{p.job_title or '-'}, {p.department}")
        self._section("People updated", plan.updated, self._changes)
        self._section("Leavers to deactivate", plan.leavers, lambda p: f"leaving date {p.leaving_date}")
        self._section("Returners to re-activate", plan.returners, lambda p: "no longer marked as left")
        out(f"People unchanged: {plan.unchanged:,}")
        if plan.not_in_file:
            out(f"Current people not in the file (not changed): {plan.not_in_file:,}")

    def _section(self, title: str, people: list[PersonChange], detail) -> None:
        self.stdout.write(f"{title}: {len(people):,}")
        for person in people:
            self.stdout.write(
                f"  line {person.line}  {person.employee_number}  {person.name} <{person.email}>: {detail(person)}"
            )

    @staticmethod
    def _changes(person: PersonChange) -> str:
        return "; ".join(f"{c.field} {c.old or '(blank)'} → {c.new or '(blank)'}" for c in person.changes)
