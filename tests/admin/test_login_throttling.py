"""Password guessing on the admin login is throttled (django-axes), through the real login form.

After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that username is
refused from that address, even with the right password, with a lockout page (429); other users
and other addresses log in as usual; the block ends after the cool-off or an administrator's reset.
"""

import datetime as dt
import io
import ipaddress
import math

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from newsroom.login_throttling import client_ip_address, trusted_proxies
from tests.support.services import manage

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher takes ~0.3 s per login on purpose; these tests log in dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return User.objects.create_user("alice", password=PASSWORD, is_staff=True)


@pytest.fixture
def other_editor():
    return User.objects.create_user("bob", password=PASSWORD, is_staff=True)


def log_in(client, username, password, ip="203.0.113.7", proxy="127.0.0.1"):
    """POST the admin login form as a browser behind the proxy would (the proxy, on loopback
    unless `proxy` says otherwise, appends the client's address to X-Forwarded-For)."""
    client.get(LOGIN, REMOTE_ADDR=proxy)  # the form sets the CSRF cookie, as in a browser
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": INDEX},
        HTTP_X_FORWARDED_FOR=ip,
        REMOTE_ADDR=proxy,
    )


def fail_until_locked(client, username, ip="203.0.113.7", limit=5, proxy="127.0.0.1"):
    for _ in range(limit):
        response = log_in(client, username, "wrong guess", ip=ip, proxy=proxy)
    return response


def is_logged_in(client):
    return client.get(INDEX).status_code == 200


def test_limit_and_cool_off_come_from_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 1.0
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_failed_logins_below_the_limit_still_let_the_right_password_in(client, editor):
    for _ in range(4):
        response = log_in(client, "alice", "wrong guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_after_the_limit_the_right_password_is_refused_with_a_lockout_page(client, editor):
    response = fail_until_locked(client, "alice")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text

    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "alice" in response.text
    assert "Even the right password is refused" in response.text
    assert "blocked for an hour after the last attempt" in response.text
    assert "Newsroom review desk" in response.text  # the admin's own page
    assert not is_logged_in(client)


def test_a_lockout_leaves_other_users_and_other_addresses_alone(client, editor, other_editor):
    fail_until_locked(client, "alice", ip="203.0.113.7")
    assert log_in(client, "alice", PASSWORD, ip="203.0.113.7").status_code == 429

    # Another user from the same address.
    assert log_in(client, "bob", PASSWORD, ip="203.0.113.7").status_code == 302
    assert is_logged_in(client)
    client.logout()
    # The same user from another address (a guesser cannot lock an editor out everywhere).
    assert log_in(client, "alice", PASSWORD, ip="198.51.100.20").status_code == 302
    assert is_logged_in(client)


def test_the_block_ends_when_the_cool_off_has_passed(client, editor):
    fail_until_locked(client, "alice")
    assert log_in(client, "alice", PASSWORD).status_code == 429
    # Move the failures an hour and a minute into the past: the cool-off is over.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get(ip_address="203.0.113.7").attempt_time
        - dt.timedelta(hours=1, minutes=1)
    )
    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_shorter_cool_off_from_the_environment_applies(client, editor, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    response = fail_until_locked(client, "alice")
    assert "blocked for 30 minutes after the last attempt" in response.text
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get(ip_address="203.0.113.7").attempt_time
        - dt.timedelta(minutes=31)
    )
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_an_administrator_can_lift_the_block(client, editor):
    fail_until_locked(client, "alice")
    assert log_in(client, "alice", PASSWORD).status_code == 429
    call_command("axes_reset_username", "alice", stdout=io.StringIO())
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_success_forgets_earlier_failures(client, editor):
    for _ in range(4):
        log_in(client, "alice", "wrong guess")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "alice", "wrong guess").status_code == 200
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, editor, settings):
    """A client talking to the app server directly cannot dodge the limit by sending a new
    X-Forwarded-For with every guess."""
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]  # the proxy is elsewhere; loopback is a client
    for number in range(5):
        log_in(client, "alice", "wrong guess", ip=f"192.0.2.{number}")
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.99").status_code == 429


def test_through_the_proxy_the_forged_part_of_forwarded_for_is_ignored(client, editor):
    """nginx appends the address it saw; whatever the client put before it is not believed."""
    for number in range(5):
        log_in(client, "alice", "wrong guess", ip=f"192.0.2.{number}, 203.0.113.7")
    assert log_in(client, "alice", PASSWORD, ip="203.0.113.7").status_code == 429


# --- Trusted proxies are addresses or networks, as gunicorn takes them ------------------------


def test_a_proxy_inside_a_trusted_network_is_believed(client, editor, settings):
    """FORWARDED_ALLOW_IPS=10.0.0.0/8 (as gunicorn accepts it): a proxy at 10.1.2.3 is trusted,
    so its clients are told apart and one client's lockout is not everyone's."""
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]
    fail_until_locked(client, "alice", ip="203.0.113.7", proxy="10.1.2.3")
    assert log_in(client, "alice", PASSWORD, ip="203.0.113.7", proxy="10.1.2.3").status_code == 429
    # Another client through the same proxy is not locked out.
    response = log_in(client, "alice", PASSWORD, ip="198.51.100.20", proxy="10.1.2.3")
    assert response.status_code == 302


def test_a_proxy_outside_the_trusted_networks_is_a_client(client, editor, settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8", "::1"]
    for number in range(5):
        log_in(client, "alice", "wrong guess", ip=f"192.0.2.{number}", proxy="172.16.0.9")
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.99", proxy="172.16.0.9").status_code == 429


@pytest.mark.parametrize(
    ("entries", "proxy", "trusted"),
    [
        (["10.0.0.0/8"], "10.255.0.1", True),
        (["10.0.0.0/8"], "11.0.0.1", False),
        (["192.168.1.0/24", "2001:db8::/32"], "2001:db8:ff::1", True),
        (["127.0.0.1", "::1"], "127.0.0.1", True),
        (["127.0.0.1", "::1"], "127.0.0.2", False),
        (["127.0.0.1", "::1"], "::1", True),
        (["*"], "198.51.100.1", True),
        ([" 10.0.0.2 ", ""], "10.0.0.2", True),  # as split from "10.0.0.2, " by a careless hand
        (["10.0.0.2"], "::ffff:10.0.0.2", True),  # a dual-stack socket's view of 10.0.0.2
        ([], "127.0.0.1", False),
    ],
)
def test_trusted_proxies_are_matched_as_networks(settings, entries, proxy, trusted):
    settings.FORWARDED_ALLOW_IPS = entries
    request = RequestFactory().get("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (client_ip_address(request) == "203.0.113.7") is trusted


@pytest.mark.parametrize("entry", ["10.0.0.1/8", "10.0.0.300", "proxy.example.org", "10.0.0.0/33"])
def test_an_invalid_trusted_proxy_is_a_configuration_error(entry):
    with pytest.raises(ImproperlyConfigured, match="FORWARDED_ALLOW_IPS") as error:
        trusted_proxies([entry])
    assert repr(entry) in str(error.value)


def test_an_invalid_trusted_proxy_stops_start_up():
    result = manage("check", env={"FORWARDED_ALLOW_IPS": "10.0.0.2,10.0.0.1/8"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "FORWARDED_ALLOW_IPS" in result.stderr and "'10.0.0.1/8'" in result.stderr


def test_trusted_proxies_are_parsed_once():
    first = trusted_proxies(["10.0.0.0/8", "::1"])
    assert trusted_proxies(["10.0.0.0/8", "::1"]) is first
    assert ipaddress.ip_network("10.0.0.0/8") in first.networks


# --- IPv6 clients are grouped by /64 -----------------------------------------------------------


def test_addresses_in_one_ipv6_64_share_a_lockout(client, editor):
    """One IPv6 host usually has a whole /64 to pick addresses from: a new address per guess
    is the same client."""
    for host in range(1, 6):
        log_in(client, "alice", "wrong guess", ip=f"2001:db8:1:2::{host}")
    assert log_in(client, "alice", PASSWORD, ip="2001:db8:1:2:ffff:1:2:3").status_code == 429
    # Stored as the /64's first address: django-axes keeps a plain address (PostgreSQL: inet).
    assert AccessAttempt.objects.get(ip_address__isnull=False).ip_address == "2001:db8:1:2::"
    # Another /64 is another client.
    assert log_in(client, "alice", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_an_ipv4_mapped_address_is_its_ipv4_address(client, editor):
    for _ in range(3):
        log_in(client, "alice", "wrong guess", ip="::ffff:203.0.113.7")
    for _ in range(2):
        log_in(client, "alice", "wrong guess", ip="203.0.113.7")
    assert log_in(client, "alice", PASSWORD, ip="::ffff:203.0.113.7").status_code == 429
    assert AccessAttempt.objects.get(ip_address__isnull=False).ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "address"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # IPv4: the address itself
        ("127.0.0.1", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("127.0.0.1", "2001:DB8:1:2::", "2001:db8:1:2::"),
        ("127.0.0.1", "::ffff:198.51.100.20", "198.51.100.20"),
        ("127.0.0.1", "fe80::1%eth0", "fe80::"),
        ("192.0.2.1", "203.0.113.7", "192.0.2.1"),  # not a proxy: its own address
        ("2001:db8:9:9::1", "", "2001:db8:9:9::"),
        ("::ffff:192.0.2.1", "", "192.0.2.1"),
        ("::1", "2001:db8::1", "2001:db8::"),
    ],
)
def test_the_client_address_groups_ipv6_by_64(remote, forwarded, address):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == address


# --- Per account: a growing delay across all addresses, never at an address used before -------


def attacker(number):
    """A new address for every guess (198.18.0.0/15 is set aside for such tests)."""
    return f"198.18.{number // 250}.{number % 250 + 1}"


def guess_from_new_addresses(client, username, count, first=0):
    return [
        log_in(client, username, "wrong guess", ip=attacker(number)).status_code
        for number in range(first, first + count)
    ]


def pass_time(minutes):
    """The clock moves on: every recorded failure becomes `minutes` older."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


def waits_for(response):
    """The wait the refusal asks for, in whole minutes (from Retry-After, in seconds)."""
    assert response.status_code == 429
    return math.ceil(int(response["Retry-After"]) / 60)


def test_the_per_account_limit_comes_from_settings(settings):
    assert settings.LOGIN_ACCOUNT_FAILURE_LIMIT == 10
    assert settings.LOGIN_ACCOUNT_MAX_DELAY == 15  # minutes


def test_guesses_from_new_addresses_meet_a_per_account_delay(client, editor):
    assert guess_from_new_addresses(client, "alice", 10) == [200] * 10
    # The 11th attempt, from yet another address, waits, even with the right password.
    response = log_in(client, "alice", PASSWORD, ip=attacker(10))
    assert response.status_code == 429
    assert 50 <= int(response["Retry-After"]) <= 60
    assert "Too many failed logins" in response.text
    assert "After 10 failed logins as <strong>alice</strong> from any address" in response.text
    assert "Try again in 1 minute." in response.text
    assert "Newsroom review desk" in response.text  # the admin's own page
    assert not is_logged_in(client)
    # The count is shown in the admin with the others: a row for alice with no address.
    assert AccessAttempt.objects.get(ip_address=None).failures_since_start == 10


def test_the_per_account_count_is_listed_in_the_admin(client, editor):
    guess_from_new_addresses(client, "alice", 3)
    User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(User.objects.get(username="root"))
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "(per-account count: all addresses)" in response.text


def test_the_per_account_delay_doubles_up_to_15_minutes(client, editor):
    guess_from_new_addresses(client, "alice", 10)
    waits = []
    for number in range(10, 17):
        response = log_in(client, "alice", "wrong guess", ip=attacker(number))
        waits.append(waits_for(response))
        pass_time(waits[-1])
        # The wait is over: one more guess is let through (and checked, and wrong).
        assert log_in(client, "alice", "wrong guess", ip=attacker(100 + number)).status_code == 200
    assert waits == [1, 2, 4, 8, 15, 15, 15]


def test_after_the_wait_the_right_password_logs_in_from_a_new_address(client, editor):
    guess_from_new_addresses(client, "alice", 12)
    pass_time(4)
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.200").status_code == 302
    assert is_logged_in(client)


def test_an_address_that_has_logged_in_before_is_not_delayed(client, editor, other_editor):
    assert log_in(client, "alice", PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    assert log_in(client, "bob", PASSWORD, ip="192.0.2.33").status_code == 302
    client.logout()
    guess_from_new_addresses(client, "alice", 10)

    assert log_in(client, "alice", PASSWORD, ip="203.0.113.50").status_code == 429
    # bob's address is known for bob, not for alice.
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.33").status_code == 429
    # alice's own address is not delayed.
    assert log_in(client, "alice", PASSWORD, ip="198.51.100.20").status_code == 302
    assert is_logged_in(client)
    client.logout()
    # It still has its own limit of five, as every address.
    fail_until_locked(client, "alice", ip="198.51.100.20")
    assert log_in(client, "alice", PASSWORD, ip="198.51.100.20").status_code == 429


def test_attempts_refused_during_the_wait_neither_count_nor_extend_it(client, editor):
    """A guesser who keeps trying cannot keep the account waiting: refused attempts are not
    recorded, so the wait ends when it said it would."""
    guess_from_new_addresses(client, "alice", 10)
    for number in range(10, 30):
        assert log_in(client, "alice", "wrong guess", ip=attacker(number)).status_code == 429
    pass_time(1)
    assert log_in(client, "alice", "wrong guess", ip=attacker(30)).status_code == 200
    assert waits_for(log_in(client, "alice", PASSWORD, ip=attacker(31))) == 2  # 11 failures, not 31


def test_the_per_account_count_is_forgotten_an_hour_after_the_last_failure(client, editor):
    guess_from_new_addresses(client, "alice", 10)
    assert log_in(client, "alice", PASSWORD, ip=attacker(10)).status_code == 429
    pass_time(61)
    assert guess_from_new_addresses(client, "alice", 9, first=11) == [200] * 9
    assert log_in(client, "alice", PASSWORD, ip=attacker(20)).status_code == 302


def test_an_administrator_can_lift_the_per_account_delay(client, editor):
    guess_from_new_addresses(client, "alice", 10)
    assert log_in(client, "alice", PASSWORD, ip=attacker(10)).status_code == 429
    call_command("axes_reset_username", "alice", stdout=io.StringIO())
    assert log_in(client, "alice", PASSWORD, ip=attacker(10)).status_code == 302


def test_the_per_account_delay_leaves_other_users_alone(client, editor, other_editor):
    guess_from_new_addresses(client, "alice", 10)
    assert log_in(client, "alice", PASSWORD, ip=attacker(10)).status_code == 429
    assert log_in(client, "bob", PASSWORD, ip=attacker(10)).status_code == 302


def test_attempts_refused_by_an_address_lockout_do_not_count_for_the_account(client, editor):
    fail_until_locked(client, "alice", ip="203.0.113.7")  # 5 failures
    for _ in range(10):
        assert log_in(client, "alice", "wrong guess", ip="203.0.113.7").status_code == 429
    assert log_in(client, "alice", PASSWORD, ip="198.51.100.20").status_code == 302


def test_when_the_wait_is_over_one_attempt_passes_not_one_per_server(editor):
    """Requests that arrive together when the wait ends are checked before any of them has been
    recorded: the first one checked takes the attempt, the others wait again."""
    client = Client()
    guess_from_new_addresses(client, "alice", 10)
    pass_time(1)

    def request(number):
        return RequestFactory().post(
            LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=attacker(number)
        )

    first, second = request(50), request(51)
    assert AxesProxyHandler.is_allowed(first, {"username": "alice"})
    assert not AxesProxyHandler.is_allowed(second, {"username": "alice"})
    # Asking again about the same request gives the same answer.
    assert AxesProxyHandler.is_allowed(first, {"username": "alice"})


def test_a_longest_wait_not_shorter_than_the_cool_off_stops_start_up():
    """The count is forgotten one cool-off after the last failure: a longer wait would end with
    the count forgotten, and a fresh allowance of failures."""
    result = manage("check", env={"LOGIN_ACCOUNT_MAX_DELAY": "60", "AXES_COOLOFF_TIME": "1"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: LOGIN_ACCOUNT_MAX_DELAY" in result.stderr
