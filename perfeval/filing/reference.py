"""The reference rows every installation has: 附件1's catalogue and the shipped rule packs.

Used by the data migration (with historical models) and by load_demo (a flushed test database has none)."""

from perfeval.rules import catalogue
from perfeval.rules.packs import SHIPPED_PACKS, rule_pack_from_dict


def sync_reference_data(expense_item_model, rule_pack_model) -> None:
    for item in catalogue.EXPENSE_ITEMS:
        expense_item_model.objects.update_or_create(
            code=item.code,
            defaults={
                "label": item.label,
                "parent_id": item.parent,
                "order": item.order,
                "children_rule": item.children_rule or "",
                "has_prior": item.has_prior,
                "indent": item.indent,
            },
        )
    for definition in SHIPPED_PACKS:
        rule_pack_from_dict(
            definition
        )  # a pack contradicting itself is refused with the reason, never stored
        rule_pack_model.objects.get_or_create(
            code=definition["code"],
            version=definition["version"],
            defaults={"name": definition["name"], "definition": definition},
        )
