"""``{% shared_fragment "name" var… %}…{% endshared_fragment %}``: a part of the layout that is the same for
every visitor who reads the same language and has the same values of ``var…`` (the province's name),
rendered once per process and language, then copied. The portal's header, links and language menu were
most of the template work of a small page such as the public lookup, rendered anew for every request.

Kept in this process's memory, not in the shared cache: fetching a fragment from Redis would cost more
than rendering it, and every process renders the same text. Only for what cannot differ between two
visitors (no user, no form token, no path of the request): a fragment holding a form token is refused.
Changing a setting (tests) or a file (the development server) forgets every fragment; a deployment
restarts the processes.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

register = template.Library()

_fragments: dict[tuple, SafeString] = {}
# A few names times two languages times a province name or two: the bound is a guard, never reached.
_LIMIT = 1000


@receiver(setting_changed)
@receiver(file_changed)
def forget(**_kwargs) -> None:
    _fragments.clear()


class SharedFragmentNode(template.Node):
    def __init__(self, name: str, vary_on: list[template.base.FilterExpression], nodelist: template.NodeList):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context) -> SafeString:
        key = (self.name, translation.get_language(), *(str(var.resolve(context)) for var in self.vary_on))
        found = _fragments.get(key)
        if found is None:
            found = self.nodelist.render(context)
            if "csrfmiddlewaretoken" in found:
                raise template.TemplateSyntaxError(f"shared_fragment {self.name!r}: a form token is not the "
                                                   "same for every visitor")
            if len(_fragments) >= _LIMIT:
                _fragments.clear()
            _fragments[key] = found
        return found


@register.tag
def shared_fragment(parser, token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("usage: {% shared_fragment \"name\" var… %}")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
