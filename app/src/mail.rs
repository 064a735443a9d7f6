//! Outgoing mail (server only): invitations, confirmations, removals. SMTP through lettre when
//! `SMTP_URL` is set; otherwise mail is off and callers show the invitation link to the person
//! who invited, to pass on. Every mail is plain text plus HTML, in the recipient's language.

use std::fmt;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::i18n::Locale;

/// What the mailer did with a mail; callers decide what the person who acted is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the SMTP server.
    Sent,
    /// No SMTP server is configured.
    Off,
    /// The SMTP server refused it or could not be reached (logged).
    Failed,
}

/// One mail, already in the recipient's language.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// Paragraphs; the last may be a link (see `link`).
    pub paragraphs: Vec<String>,
    /// A call to action: the button's text and its address.
    pub link: Option<(String, String)>,
}

impl Mail {
    pub fn text(&self) -> String {
        let mut text = self.paragraphs.join("\n\n");
        if let Some((label, url)) = &self.link {
            text.push_str(&format!("\n\n{label}:\n{url}\n"));
        }
        text
    }

    pub fn html(&self) -> String {
        use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
        let mut html = String::from(
            "<!doctype html><html><body style=\"font-family: system-ui, sans-serif; \
             line-height: 1.5; color: #1b1f24\">",
        );
        for paragraph in &self.paragraphs {
            html.push_str(&format!("<p>{}</p>", text(paragraph)));
        }
        if let Some((label, url)) = &self.link {
            html.push_str(&format!(
                "<p><a href=\"{}\" style=\"display: inline-block; padding: 8px 16px; \
                 background: #175ddc; color: #fff; text-decoration: none; border-radius: 4px\">\
                 {}</a></p><p style=\"font-size: 0.9em; color: #555\">{}</p>",
                attr(url),
                text(label),
                text(url),
            ));
        }
        html.push_str("</body></html>");
        html
    }
}

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("on", &self.is_on())
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// An SMTP server that does not answer within this is treated as down: the person inviting
/// should not wait on it.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:25` (plain, or STARTTLS when offered with
    /// `?tls=required`), `smtps://user:password@host:465`. `None` turns mail off.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|err| format!("MAIL_FROM is not a mail address ({err})"))?;
        let transport = match smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|err| format!("SMTP_URL is not a valid SMTP address ({err})"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => None,
        };
        Ok(Self { transport, from })
    }

    /// Mail off: invitation links are shown to the inviter instead.
    pub fn off() -> Self {
        Self {
            transport: None,
            from: Mailbox::new(None, "portal@localhost".parse().expect("a valid address")),
        }
    }

    pub fn is_on(&self) -> bool {
        self.transport.is_some()
    }

    pub async fn send(&self, mail: Mail) -> Delivery {
        let Some(transport) = &self.transport else {
            return Delivery::Off;
        };
        let to: Mailbox = match mail.to.parse() {
            Ok(to) => to,
            Err(err) => {
                tracing::warn!(error = %err, "mail not sent: the recipient is not a mail address");
                return Delivery::Failed;
            }
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative_plain_html(mail.text(), mail.html()));
        let message = match message {
            Ok(message) => message,
            Err(err) => {
                tracing::error!(error = %err, "mail not sent: it could not be built");
                return Delivery::Failed;
            }
        };
        // lettre's own timeout covers connecting only: a server that accepts and then says
        // nothing would hold the request for ever. The whole conversation gets the timeout.
        match tokio::time::timeout(SMTP_TIMEOUT, transport.send(message)).await {
            Ok(Ok(_)) => Delivery::Sent,
            Ok(Err(err)) => {
                tracing::error!(error = %err, "mail not sent: the SMTP server refused it or is unreachable");
                Delivery::Failed
            }
            Err(_) => {
                tracing::error!("mail not sent: the SMTP server did not answer in time");
                Delivery::Failed
            }
        }
    }
}

/// Mails sent at once, at most this many: an invitation to twenty addresses waits for the
/// slowest few, not for the sum of them.
const SENDS_AT_ONCE: usize = 8;

/// Runs mail sends side by side (at most [`SENDS_AT_ONCE`]), results in the order given.
pub async fn side_by_side<T>(sends: impl IntoIterator<Item = impl Future<Output = T>>) -> Vec<T> {
    use futures_util::StreamExt;
    futures_util::stream::iter(sends)
        .buffered(SENDS_AT_ONCE)
        .collect()
        .await
}

/// The language a mail goes out in: the recipient's own when they have an account, else the
/// language of the person acting.
pub fn locale_or(recipient: Option<&str>, fallback: Locale) -> Locale {
    recipient
        .and_then(|locale| locale.parse().ok())
        .unwrap_or(fallback)
}

/// What sending mail needs: the mailer, the portal's public address for links, and the
/// language of the person acting (for invitees without an account).
#[derive(Clone, Debug)]
pub struct Outbox<'a> {
    pub mailer: &'a Mailer,
    pub base_url: &'a str,
    pub locale: Locale,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_people_typed() {
        let mail = Mail {
            to: "a@example.com".into(),
            subject: "s".into(),
            paragraphs: vec!["<script>alert(1)</script> & co".into()],
            link: Some((
                "Accept".into(),
                "https://portal.example/invitations/a\"b".into(),
            )),
        };
        let html = mail.html();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("href=\"https://portal.example/invitations/a&quot;b\""));
        assert!(
            mail.text()
                .contains("Accept:\nhttps://portal.example/invitations/a\"b")
        );
    }

    #[test]
    fn a_bad_smtp_url_or_sender_is_refused_at_start_up() {
        assert!(Mailer::new(Some("http://nope"), "portal@example.com").is_err());
        assert!(Mailer::new(None, "not an address").is_err());
        assert!(
            !Mailer::new(None, "Portal <portal@example.com>")
                .unwrap()
                .is_on()
        );
        assert!(
            Mailer::new(Some("smtp://127.0.0.1:2525"), "portal@example.com")
                .unwrap()
                .is_on()
        );
    }
}
