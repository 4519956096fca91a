"""Membership pages: applying and the card on the member site; review, the roster and the card scanner in the
console. One module per part."""
