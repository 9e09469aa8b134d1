from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tests.scopedapp import api, views

router = SimpleRouter()
router.register("memos", api.MemoViewSet, basename="memo")

urlpatterns = [
    path("memos/", views.memo_list, name="memo_list"),
    path("memos/<uuid:public_id>/", views.memo_detail, name="memo_detail"),
    path("api/", include(router.urls)),
]
