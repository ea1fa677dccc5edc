//! `minyi users`, `minyi tokens` and `minyi audit`: accounts and the audit log from the machine.
//!
//! They open the index's store directly, so they work while `minyi serve` runs on the same index
//! (SQLite in WAL mode; the server looks every request's credentials up again), and a change takes
//! effect on the server's next request. Each change is recorded in the audit log as done by the
//! operating-system user.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use minyi_store::audit::{Actor, ActorKind, AuditEvent, AuditFilter, AuditLog, Verification};
use minyi_store::{Role, Store};
use serde_json::json;

/// `minyi users …`.
#[derive(Subcommand)]
pub enum UsersCommand {
    /// Add a user who signs in on the page with a password (asked on the terminal).
    Add {
        #[command(flatten)]
        account: NewAccount,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users, their roles and districts.
    List(IndexArg),
    /// Remove a user; their sessions end at once.
    Remove {
        #[command(flatten)]
        index: IndexArg,
        name: String,
    },
    /// Set a user's password; their sessions end at once.
    Passwd {
        #[command(flatten)]
        index: IndexArg,
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// `minyi tokens …`.
#[derive(Subcommand)]
pub enum TokensCommand {
    /// Make a token for another system; its secret is printed once, as the last line of output.
    Add(NewAccount),
    /// List the tokens (never their secrets).
    List(IndexArg),
    /// Revoke a token: its next request is refused.
    Revoke {
        #[command(flatten)]
        index: IndexArg,
        name: String,
    },
}

#[derive(Args)]
pub struct IndexArg {
    /// The index folder.
    #[arg(long)]
    index: PathBuf,
}

/// A user or token to add.
#[derive(Args)]
pub struct NewAccount {
    #[command(flatten)]
    index: IndexArg,
    name: String,
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// A district whose records it may see (repeatable); none: all districts.
    #[arg(long = "region")]
    regions: Vec<String>,
}

/// `minyi audit`: read or verify the audit log.
#[derive(Args)]
pub struct AuditArgs {
    #[command(flatten)]
    index: IndexArg,
    /// Check the hash chain instead: exits with an error naming the first broken line.
    #[arg(long)]
    verify: bool,
    /// Only entries by this user or token.
    #[arg(long)]
    user: Option<String>,
    /// Only entries from this day on (YYYY-MM-DD).
    #[arg(long)]
    since: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    format: AuditFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum AuditFormat {
    Table,
    Json,
}

pub fn users(command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add {
            account,
            password_stdin,
        } => {
            let (store, log) = open(&account.index.index)?;
            let password = read_password(password_stdin, &account.name)?;
            let user = store.add_user(&account.name, account.role, &account.regions, &password)?;
            changed(&log, "user.add", &account)?;
            println!(
                "added {} ({}, {})",
                user.name,
                user.role,
                regions_text(&user.regions)
            );
        }
        UsersCommand::List(index) => {
            let (store, _) = open(&index.index)?;
            for u in store.users()? {
                println!("{}\t{}\t{}", u.name, u.role, regions_text(&u.regions));
            }
        }
        UsersCommand::Remove { index, name } => {
            let (store, log) = open(&index.index)?;
            store.remove_user(&name)?;
            record(&log, "user.remove", json!({ "name": name }))?;
            println!("removed {name}");
        }
        UsersCommand::Passwd {
            index,
            name,
            password_stdin,
        } => {
            let (store, log) = open(&index.index)?;
            let password = read_password(password_stdin, &name)?;
            store.set_password(&name, &password)?;
            record(&log, "user.passwd", json!({ "name": name }))?;
            println!("changed the password of {name}; their sessions have ended");
        }
    }
    Ok(())
}

pub fn tokens(command: TokensCommand) -> anyhow::Result<()> {
    match command {
        TokensCommand::Add(account) => {
            let (store, log) = open(&account.index.index)?;
            let made = store.add_token(&account.name, account.role, &account.regions)?;
            changed(&log, "token.add", &account)?;
            eprintln!(
                "token {} ({}, {}); send it as `Authorization: Bearer …`. It is shown this once:",
                made.token.name,
                made.token.role,
                regions_text(&made.token.regions)
            );
            println!("{}", made.secret);
        }
        TokensCommand::List(index) => {
            let (store, _) = open(&index.index)?;
            for t in store.tokens()? {
                println!(
                    "{}\t{}\t{}\t{}",
                    t.name,
                    t.role,
                    regions_text(&t.regions),
                    t.created_at.format("%Y-%m-%d %H:%M")
                );
            }
        }
        TokensCommand::Revoke { index, name } => {
            let (store, log) = open(&index.index)?;
            store.revoke_token(&name)?;
            record(&log, "token.revoke", json!({ "name": name }))?;
            println!("revoked {name}");
        }
    }
    Ok(())
}

pub fn audit(args: AuditArgs) -> anyhow::Result<()> {
    let log = AuditLog::open(&args.index.index)?;
    if args.verify {
        return match log.verify()? {
            Verification::Intact { entries, files } => {
                println!("intact: {entries} entries in {files} files");
                Ok(())
            }
            Verification::Broken(at) => bail!("the audit log is broken: {at}"),
        };
    }
    let filter = AuditFilter {
        who: args.user,
        since: args.since,
    };
    for e in log.read(&filter)? {
        match args.format {
            AuditFormat::Json => println!("{}", serde_json::to_string(&e)?),
            AuditFormat::Table => println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                e.at.format("%Y-%m-%d %H:%M:%S"),
                e.who.name,
                e.who.address.as_deref().unwrap_or("-"),
                e.action,
                e.result,
                e.details
            ),
        }
    }
    Ok(())
}

/// The store and audit log of the index in `index`, which must exist.
fn open(index: &Path) -> anyhow::Result<(Store, AuditLog)> {
    if !index.is_dir() {
        bail!(
            "{} is not an index folder: make one with `minyi index`",
            index.display()
        );
    }
    let store = Store::open(index).with_context(|| format!("opening {}", index.display()))?;
    Ok((store, AuditLog::open(index)?))
}

/// The actor of a command run on the machine: the operating-system user.
pub fn command_line_actor() -> Actor {
    Actor {
        name: std::env::var("USER").unwrap_or_else(|_| "unknown".into()),
        kind: ActorKind::Cli,
        role: None,
        address: None,
    }
}

fn record(log: &AuditLog, action: &str, details: serde_json::Value) -> anyhow::Result<()> {
    log.append(AuditEvent {
        who: command_line_actor(),
        action: action.into(),
        details,
        result: "ok".into(),
    })?;
    Ok(())
}

fn changed(log: &AuditLog, action: &str, account: &NewAccount) -> anyhow::Result<()> {
    record(
        log,
        action,
        json!({ "name": account.name, "role": account.role.as_str(), "regions": account.regions }),
    )
}

/// A password from the terminal (asked twice), or the first line of standard input.
fn read_password(from_stdin: bool, name: &str) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let password = rpassword::prompt_password(format!("password for {name}: "))?;
    if rpassword::prompt_password("again: ")? != password {
        bail!("the two passwords differ");
    }
    Ok(password)
}

fn regions_text(regions: &[String]) -> String {
    if regions.is_empty() {
        "all regions".into()
    } else {
        regions.join(",")
    }
}

fn parse_role(word: &str) -> Result<Role, String> {
    Role::parse(word).ok_or_else(|| format!("unknown role `{word}`: use admin, staff or analyst"))
}
