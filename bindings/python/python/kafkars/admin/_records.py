"""delete_records() results."""


class DeletedRecords:
    """A partition's low watermark after delete_records()."""

    def __init__(self, low_watermark):
        self.low_watermark = low_watermark
