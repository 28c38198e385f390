#!/usr/bin/env python3
# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""The dashboard in a real browser: headless Chromium (Debian's, driven by its
chromedriver through Selenium) loads the pages of `taskstore serve` over a
database with a running `taskstore work`, checks what they show, watches the
task page turn COMPLETED when the worker finishes, and cancels a task with the
token. Screenshots go to the directory given.

Usage: dashboard_test.py TASKSTORE_BINARY EXAMPLES_DIR SCREENSHOT_DIR
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

TASKSTORE, EXAMPLES, SHOTS = sys.argv[1:4]
TOKEN = "browser-test-token-0123456789"
QUICK_TASKS, QUICK_COMPLETED = 24, 12  # the quick tool's program fails every other task


def run(*args):
    return subprocess.run([TASKSTORE, *args], check=True, capture_output=True, text=True).stdout


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="taskstore-browser-")
        cls.url = "sqlite:///" + os.path.join(cls.dir, "tasks.db")
        # Tasks with events, agent runs, a completion record, drafts and e-mails, from the examples.
        for example in ("event_log_and_agent_runs", "completion_records", "drafts_and_outbox"):
            subprocess.run([os.path.join(EXAMPLES, "example_" + example), cls.url], check=True, capture_output=True)
        token_file = os.path.join(cls.dir, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")

        # A worker whose program holds each task until the test releases it.
        cls.release = os.path.join(cls.dir, "release")
        os.mkdir(cls.release)
        program = os.path.join(cls.dir, "hold.sh")
        with open(program, "w") as f:
            f.write("#!/bin/sh\n"
                    "echo 'progress 30 planner'\n"
                    "echo 'event waiting to be released'\n"
                    f"while [ ! -e '{cls.release}'/\"$TASKSTORE_TASK_ID\" ]; do sleep 0.1; done\n"
                    "echo 'progress 100 writer'\n"
                    "echo 'result released by the browser test'\n")
        os.chmod(program, 0o755)
        cls.held = run("--db", cls.url, "tasks", "create", "--user", "ada@example.com", "--tool", "research",
                       "--title", "Summarize the quarterly report", "--queue").split()[0]
        for i in range(3):
            run("--db", cls.url, "tasks", "create", "--user", "ada@example.com", "--tool", "translate",
                "--title", f"Translate chapter {i + 1}", "--queue")
        run("--db", cls.url, "queue", "pause", "translate")

        cls.worker = subprocess.Popen([TASKSTORE, "--db", cls.url, "work", "--tool", "research", "--lease", "5",
                                       "--", program], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.server = subprocess.Popen([TASKSTORE, "--db", cls.url, "serve", "--listen", "127.0.0.1:0",
                                       "--token-file", token_file], stdout=subprocess.PIPE, text=True)
        line = cls.server.stdout.readline()
        # Work finished after the server started is what its chart and counters show.
        quick = os.path.join(cls.dir, "quick.sh")
        with open(quick, "w") as f:
            f.write("#!/bin/sh\n"
                    "echo 'progress 50 summarizer'\n"
                    "sleep 0.2\n"
                    "case \"$(cat)\" in *'\"title\":\"fail'*) echo 'event giving up' ; exit 3 ;; esac\n"
                    "echo 'result summarized'\n")
        os.chmod(quick, 0o755)
        for i in range(QUICK_TASKS):
            run("--db", cls.url, "tasks", "create", "--user", "ada@example.com", "--tool", "quick", "--max-attempts",
                "1", "--title", ("fail " if i % 2 else "summary ") + str(i), "--queue")
        cls.quick_worker = subprocess.Popen([TASKSTORE, "--db", cls.url, "work", "--tool", "quick", "--concurrency", "2",
                                             "--no-maintenance", "--", quick],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", line)
        assert match, line
        cls.base = match.group(1)

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                    "--disable-dev-shm-usage"):
            options.add_argument(arg)
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.wait = WebDriverWait(cls.browser, 20)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        for p in (cls.server, cls.worker, cls.quick_worker):
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)

    def text(self, css):
        return self.wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css))).text

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        self.browser.save_screenshot(os.path.join(SHOTS, name))

    def test_1_overview_shows_queues_running_tasks_and_the_chart(self):
        # The held task is claimed by the worker: the overview lists it as running.
        self.browser.get(self.base + "/")
        self.wait.until(lambda b: self.held in b.find_element(By.ID, "main").text)
        self.assertEqual(self.text("#paused-total"), "1")
        translate = self.browser.find_element(By.CSS_SELECTOR, 'tr[data-tool="translate"]')
        self.assertIn("paused", translate.text)
        self.assertIn("3", translate.text)
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "#throughput rect"))
        self.wait.until(lambda b: b.find_element(By.ID, "live").get_attribute("class") == "live")

    def test_2_task_list_filters_and_links(self):
        self.browser.get(self.base + "/tasks?tool=translate")
        self.wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "tr[data-task]")) == 3)
        self.assertIn("Translate chapter", self.browser.find_element(By.ID, "main").text)
        self.browser.get(self.base + "/tasks")
        self.wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "tr[data-task]")) >= 7)
        self.shot("dashboard-tasks.png")
        # A hostile title is shown as text, never run: the examples' and ours are plain, so make one.
        run("--db", self.url, "tasks", "create", "--user", "ada@example.com", "--tool", "translate",
            "--title", "<img src=x onerror=alert(1)><script>alert(2)</script>")
        self.browser.get(self.base + "/tasks?tool=translate")
        self.wait.until(lambda b: "<script>alert(2)</script>" in b.find_element(By.ID, "main").text)
        self.assertFalse(self.browser.find_elements(By.CSS_SELECTOR, "#main img, #main script"))

    def test_3_task_page_updates_live_when_the_worker_completes(self):
        self.browser.get(self.base + "/tasks/" + self.held)
        self.wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1 .status"), "PROCESSING"))
        self.assertIn("waiting to be released", self.browser.find_element(By.ID, "events").text)
        self.browser.execute_script("window.stillHere = true")
        self.wait.until(lambda b: b.find_element(By.ID, "live").get_attribute("class") == "live")
        open(os.path.join(self.release, self.held), "w").close()
        self.wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1 .status"), "COMPLETED"))
        self.assertTrue(self.browser.execute_script("return window.stillHere === true"))  # no reload
        self.assertIn("released by the browser test", self.browser.find_element(By.ID, "task-fields").text)
        timeline = self.browser.find_element(By.ID, "timeline").text
        for status in ("CREATED", "QUEUED", "PROCESSING", "COMPLETED"):
            self.assertIn(status, timeline)

    def test_4_task_page_shows_runs_completion_drafts_and_emails(self):
        details = {t: self.detail(t) for t in self.tasks_of_examples()}
        with_runs = [t for t, d in details.items() if len(d["agent_runs"]) > 1]
        self.assertTrue(with_runs)
        self.browser.get(self.base + "/tasks/" + with_runs[0])
        runs = details[with_runs[0]]["agent_runs"]
        self.wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#agent-runs rect")) == len(runs))
        for run in runs:
            self.assertIn(run["agent_name"], self.browser.find_element(By.ID, "agent-runs").text)
        self.shot("dashboard-task.png")

        with_completion = [t for t, d in details.items() if d["completion"] and d["completion"]["summary_learnings"]]
        self.assertTrue(with_completion)
        self.browser.get(self.base + "/tasks/" + with_completion[0])
        learnings = details[with_completion[0]]["completion"]["summary_learnings"]
        self.wait.until(ec.text_to_be_present_in_element((By.ID, "completion"), learnings))

        with_mail = [t for t, d in details.items() if d["drafts"] and d["emails"]]
        self.assertTrue(with_mail)
        self.browser.get(self.base + "/tasks/" + with_mail[0])
        d = details[with_mail[0]]
        self.wait.until(ec.text_to_be_present_in_element((By.ID, "main"), d["emails"][0]["subject"]))
        self.assertIn(d["drafts"][0]["content"].splitlines()[0], self.browser.find_element(By.ID, "main").text)

    def test_6_overview_counts_what_the_workers_finished(self):
        # The quick tool's tasks, each completed or failed (attempts used up) since the server started.
        deadline = time.time() + 60
        while True:
            stats = json.loads(run("--db", self.url, "queue", "stats", "quick", "--json"))[0]
            if stats["queued"] == 0 and stats["processing"] == 0:
                break
            self.assertLess(time.time(), deadline, stats)
            time.sleep(0.5)
        self.browser.get(self.base + "/")
        # The page redraws itself as events arrive: read it in one script, not element by element.
        count = "const e = document.getElementById('completed-hour'); return e ? Number(e.textContent) : -1"
        self.wait.until(lambda b: b.execute_script(count) >= QUICK_COMPLETED)
        bars = "return [...document.querySelectorAll('#throughput rect.completions')]" \
               ".filter((r) => Number(r.getAttribute('height')) > 0).length"
        self.assertGreater(self.browser.execute_script(bars), 0)
        self.shot("dashboard-overview.png")

    def test_7_health_page_shows_what_doctor_finds(self):
        report = self.api("/api/doctor")
        self.browser.get(self.base + "/health")
        summary = self.text("#health-summary")
        self.assertTrue(summary.startswith(report["backend"] + ": "), summary)
        attention = sum(1 for f in report["findings"] if f["level"] == "attention")
        self.assertIn(f"{attention} finding(s) need attention" if attention else "nothing needs attention", summary)
        checks = self.browser.find_elements(By.CSS_SELECTOR, "tr[data-check]")
        self.assertEqual([c.get_attribute("data-check") for c in checks], [c["name"] for c in report["checks"]])
        self.assertIn("claim the next tasks", self.browser.find_element(By.ID, "main").text)
        self.shot("dashboard-health.png")

    def test_5_cancel_needs_the_token_and_asks_first(self):
        # A task of the paused tool: no worker takes it meanwhile.
        queued = self.api("/api/tasks?tool=translate&status=QUEUED&limit=1")["tasks"][0]["task_id"]
        self.browser.get(self.base + "/tasks/" + queued)
        self.wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1 .status"), "QUEUED"))
        self.browser.find_element(By.ID, "action-cancel").click()  # no token yet
        self.assertIn("Enter the token", self.text("#notice"))
        token = self.browser.find_element(By.ID, "token")
        token.send_keys(TOKEN)
        self.browser.execute_script("sessionStorage.setItem('taskstore-token', arguments[0])", TOKEN)
        self.browser.find_element(By.ID, "action-cancel").click()
        self.wait.until(ec.alert_is_present()).dismiss()  # asked, and declined: nothing happens
        time.sleep(0.5)
        self.assertIn("QUEUED", run("--db", self.url, "tasks", "show", queued, "--json"))
        self.browser.find_element(By.ID, "action-cancel").click()
        self.wait.until(ec.alert_is_present()).accept()
        self.wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1 .status"), "CANCELLED"))
        self.assertIn("dashboard: cancel", self.browser.find_element(By.ID, "events").text)

    def api(self, path):
        with urllib.request.urlopen(self.base + path) as r:
            return json.load(r)

    def detail(self, task):
        return self.api("/api/tasks/" + task + "/detail")

    def tasks_of_examples(self):
        lines = run("--db", self.url, "tasks", "list", "--user", "1", "--limit", "100").splitlines()
        return [line.split()[0] for line in lines if re.match(r"^[0-9a-f-]{36} ", line)]


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
