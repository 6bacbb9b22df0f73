"""When each periodic task is next due (articles/tasks/periodic.py lists them). Workers claim a
due run by moving `due_at` on with one compare-and-set UPDATE, so several workers ticking at
once enqueue each run once."""

from django.db import models


class PeriodicTaskRun(models.Model):
    task = models.CharField(max_length=200, unique=True, help_text="the task's import path")
    due_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "periodic task"

    def __str__(self):
        return self.task
