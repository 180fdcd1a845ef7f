app_name = "datastore_office"
urlpatterns: list = []
