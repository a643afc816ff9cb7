from django.db import models


class WorkerHeartbeat(models.Model):
    """A running task worker (`manage.py db_worker`) says every few seconds that it is alive.

    A task still marked as running by a worker that stopped saying so was cut off (the worker was
    killed, its machine went down): another worker runs it again (core/workers.py).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
