app_name = "feedback_public"

urlpatterns: list = []
