from django.test import RequestFactory, override_settings

from people.throttle import client_address


def test_client_address_is_the_socket_without_a_proxy_header():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


@override_settings(CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR")
def test_client_address_is_the_entry_the_trusted_proxy_added():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 36.80.1.2")
    assert client_address(request) == "36.80.1.2"
