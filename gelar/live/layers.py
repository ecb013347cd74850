"""The embedded set-up's channel layer: channels' in-memory layer, cleaned less often.

channels 4.3's InMemoryChannelLayer walks every channel and every group to drop
expired messages on each receive() and group_send(). Each of N viewers' sockets
receives every broadcast, so one chat message to N viewers costs N x N steps:
bench/live.sh measured ~1,000 chat deliveries/s at 2,000 viewers on one process
(and messages dropped once a viewer's queue passed 100). Expired messages only
matter for sockets that stopped reading; dropping them once a second is as good.
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryLayer

CLEAN_EVERY_SECONDS = 1.0


class InMemoryChannelLayer(ChannelsInMemoryLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_EVERY_SECONDS:
            return
        self._cleaned_at = now
        super()._clean_expired()
