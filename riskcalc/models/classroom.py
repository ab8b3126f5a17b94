"""Live class sessions: a teacher's session, the students who joined it, and their answers.

No accounts: a teacher holds a secret link, a student a secret link of their own, and the
projector a read-only link derived from the teacher's (it shows no names and cannot be turned
back into the teacher's). Only SHA-256 digests of those tokens are stored
(``teacher_token_hash``, ``projector_token_hash``, ``token_hash``), so a copy of the database
does not open anyone's page. Everything is deleted after
:data:`RETENTION` (see ``riskcalc.classroom.sessions``: the ``purge_classroom`` command and
deletion when an expired session is opened).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

RETENTION = datetime.timedelta(days=7)
"""How long a session and its answers are kept, counted from the session's start."""

NICKNAME_MAX_LENGTH = 24
JOIN_CODE_LENGTH = 6


class ClassSession(models.Model):
    """One lesson taught to one class, from start to close (or expiry)."""

    lesson = models.SlugField(max_length=80)
    code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True)
    teacher_token_hash = models.CharField(max_length=64, unique=True)
    projector_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Pacing (riskcalc.classroom.pacing): how many exercises are open, in lesson order (None:
    # all of them), whether answers are paused, and whose worked solutions everyone sees.
    open_through = models.PositiveSmallIntegerField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    revealed = models.JSONField(default=list, blank=True)
    # Class numbers: when set, every student and the slides use this seed (a walk-through);
    # when None, each student has their own numbers (practice, the default).
    shared_seed = models.PositiveIntegerField(null=True, blank=True)
    # Raised by the teacher's "Reopen joining": the session's join allowance starts again.
    join_round = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.code} ({self.lesson})"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + RETENTION

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Student(models.Model):
    """A student in a session: a nickname, their own exercise seed and a secret link."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="students")
    nickname = models.CharField(max_length=NICKNAME_MAX_LENGTH)
    nickname_key = models.CharField(max_length=NICKNAME_MAX_LENGTH * 3)
    seed = models.PositiveIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nickname_key"], name="classroom_unique_nickname"
            )
        ]

    def __str__(self) -> str:
        return self.nickname

    @property
    def exercise_seed(self) -> int:
        """The seed this student's numbers come from: the class's, or their own."""
        shared = self.session.shared_seed
        return self.seed if shared is None else shared


class Submission(models.Model):
    """One answer as submitted: what was typed, how it was read and how it was judged."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.CharField(max_length=80)
    answer_text = models.CharField(max_length=64)
    value = models.DecimalField(max_digits=40, decimal_places=12, null=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=[
            ("correct", _("Correct")),
            ("wrong", _("Wrong")),
            ("unreadable", _("Unreadable")),
        ],
    )
    misconception = models.CharField(max_length=60, blank=True)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "idempotency_key"], name="classroom_unique_submission"
            )
        ]
        indexes = [models.Index(fields=["session", "exercise"], name="classroom_sub_exercise")]

    def __str__(self) -> str:
        return f"{self.student} {self.exercise}: {self.status}"

    @property
    def correct(self) -> bool:
        return self.status == "correct"
