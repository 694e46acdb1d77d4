import socket

from odoo.tests import tagged

from .ami_peer import AmiPeer
from .common import VoipCase


@tagged("post_install", "-at_install")
class TestPbxConnectionTest(VoipCase):
    """The form's "Test connection" answers in one line, against a real AMI peer."""

    def _test(self, port):
        self.pbx.write({"port": port})
        action = self.pbx.with_user(self.pbx_admin).action_test_connection()
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertNotIn("\n", params["message"])
        return params

    def test_connected(self):
        with AmiPeer(secret="s3cret") as peer:
            params = self._test(peer.port)
            peer.wait_for(lambda: peer.actions_named("Logoff"), message="logoff")
        self.assertEqual(params["type"], "success")
        self.assertEqual(
            params["message"], "Connected to Asterisk Call Manager/11.0.0 as smartcall."
        )
        self.assertEqual(peer.logins, 1)

    def test_refused_login(self):
        with AmiPeer(secret="other") as peer:
            params = self._test(peer.port)
        self.assertEqual(params["type"], "danger")
        self.assertIn("refused the AMI login of 'smartcall'", params["message"])
        self.assertIn("Authentication failed", params["message"])

    def test_nothing_listening(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        params = self._test(port)
        self.assertEqual(params["type"], "danger")
        self.assertIn(f"Cannot connect to 127.0.0.1:{port}", params["message"])

    def test_silent_peer(self):
        with AmiPeer() as peer:
            peer.silent_banner = True
            params = self._test(peer.port)
        self.assertEqual(params["type"], "danger")
        self.assertIn("sent no AMI banner", params["message"])

    def test_not_an_ami_server(self):
        with AmiPeer() as peer:
            peer.banner = b"SSH-2.0-OpenSSH_9.2\r\n"
            params = self._test(peer.port)
        self.assertIn("is not an Asterisk Manager Interface", params["message"])
