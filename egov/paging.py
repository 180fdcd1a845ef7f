"""Pages of a list that may be long: its total is counted up to a cap ("more than 1 000"), by a
subquery that stops reading there, so that opening a list costs the same whether it holds a
thousand rows or the province's ten million (decision 0057 does the same for the tab badges)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap``; ``more`` says the list goes on. The pages
    past the cap are not offered: a list that long is narrowed with its filters."""

    def __init__(self, object_list, per_page: int, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _found(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def more(self) -> bool:
        return self._found > self.cap
