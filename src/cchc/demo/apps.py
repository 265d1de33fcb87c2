from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models: an app only so that Django finds the `demo` command here, in the top layer.
    name = "cchc.demo"
    verbose_name = "Dữ liệu mẫu"
