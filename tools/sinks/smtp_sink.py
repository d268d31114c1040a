#!/usr/bin/python3
"""A real SMTP server for tests, writing what it receives to a directory.

Runs aiosmtpd (Debian's python3-aiosmtpd, hence /usr/bin/python3). Each
accepted message is stored as NNNN.eml (the bytes received) and NNNN.json
(what Python's own MIME parser decodes from them: subject, headers, the
text/plain and text/html parts), so a test checks the sender against an
independent decoder. Recipients whose local part starts with "reject" get
550 and those starting with "busy" get 451, to exercise both failure
classes. Prints "ready" once listening; stops on SIGTERM.

usage: smtp_sink.py PORT DIR
"""
import email
import email.policy
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        local = address.split('@')[0]
        if local.startswith('reject'):
            return '550 5.1.1 No such mailbox'
        if local.startswith('busy'):
            return '451 4.3.0 Mailbox busy, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out_dir, '%04d' % self.count)
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == 'text':
                parts[part.get_content_type()] = {
                    'charset': part.get_content_charset(),
                    'encoding': part.get('Content-Transfer-Encoding', ''),
                    'content': part.get_content(),
                }
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'subject': str(message['Subject']),
            'from': str(message['From']),
            'to': str(message['To']),
            'date': str(message['Date']),
            'message_id': str(message['Message-ID']),
            'content_type': message.get_content_type(),
            'parts': parts,
        }
        with open(base + '.eml', 'wb') as f:
            f.write(raw)
        # Written whole, then renamed: a test polling the directory never
        # reads half a record.
        with open(base + '.json.tmp', 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(base + '.json.tmp', base + '.json')
        return '250 Message accepted'


def main():
    port = int(sys.argv[1])
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller = Controller(Sink(out_dir), hostname='127.0.0.1', port=port)
    controller.start()
    print('ready', flush=True)
    stop.wait()
    controller.stop()


if __name__ == '__main__':
    main()
