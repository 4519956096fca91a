from django.urls import path

from .views import apply, member_card, review, roster, rules, scanner

app_name = "members"

urlpatterns = [
    # The member site: joining and the card.
    path("join/", apply.apply, name="apply"),
    path("join/code/", apply.apply_code, name="apply_code"),
    path("join/places/", apply.apply_places, name="apply_places"),
    path("join/employers/", apply.apply_employers, name="apply_employers"),
    path("join/privacy/", apply.privacy, name="privacy"),
    path("join/applications/<int:application_id>/", apply.application_status, name="application_status"),
    path("join/applications/<int:application_id>/progress/", apply.application_progress, name="application_progress"),
    path("join/applications/<int:application_id>/withdraw/", apply.application_withdraw, name="application_withdraw"),
    path("card/", member_card.card, name="card"),
    path("card/qr/", member_card.card_qr, name="card_qr"),
    path("card/card.png", member_card.card_png_download, name="card_png"),
    path("card/card.pdf", member_card.card_pdf_download, name="card_pdf"),
    # The console: review, the roster, the card scanner.
    path("console/members/applications/", review.queue, name="queue"),
    path("console/members/applications/<int:application_id>/", review.application_detail, name="application_detail"),
    path(
        "console/members/applications/<int:application_id>/approve/",
        review.application_approve,
        name="application_approve",
    ),
    path(
        "console/members/applications/<int:application_id>/reject/",
        review.application_reject,
        name="application_reject",
    ),
    path("console/members/time-to-card/", review.time_to_card, name="time_to_card"),
    path("console/members/", roster.roster, name="roster"),
    path("console/members/transfers-out/", roster.transfers_out, name="transfers_out"),
    path("console/members/<int:membership_id>/", roster.member_detail, name="member_detail"),
    path("console/members/<int:membership_id>/transfer/", roster.member_transfer, name="member_transfer"),
    path("console/members/<int:membership_id>/flags/", roster.member_flags, name="member_flags"),
    path("console/members/<int:membership_id>/end/", roster.member_end, name="member_end"),
    path("console/members/<int:membership_id>/card-reissue/", roster.member_card_reissue, name="member_card_reissue"),
    path("console/members/cards/verify/", scanner.card_verify, name="card_verify"),
    path("console/members/review-policy/<int:union_id>/", rules.review_policy, name="review_policy"),
    path("console/members/routing-rules/<int:owner_id>/", rules.routing_rules, name="routing_rules"),
]
