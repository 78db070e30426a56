"""The provider dashboard in a real headless browser (Debian's chromium and chromium-driver, driven
by Selenium): sign in with the configured token, watch a model go from VALIDATING to READY_TO_USE,
open its page and its confusion heat-map, and be refused with a wrong token. Screenshots go to
$DASHBOARD_ARTIFACTS (default: test-artifacts/dashboard).

Needs the stt-service binary: STT_BINARY, or .build/debug/stt-service (swift build first).
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import grpc
import pytest
from grpc_tools import protoc
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "Sources" / "stt-service" / "DefaultDataset"
TOKEN = "dashboard-test-token-0123456789"
ARTIFACTS = Path(os.environ.get("DASHBOARD_ARTIFACTS", ROOT / "test-artifacts" / "dashboard"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated-dashboard")
    include = Path(protoc.__file__).parent / "_proto"
    code = protoc.main(
        ["protoc", f"-I{ROOT / 'Protos'}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", "training.proto"]
    )
    assert code == 0
    sys.path.insert(0, str(out))
    import training_pb2, training_pb2_grpc  # noqa: E401

    return training_pb2, training_pb2_grpc


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    binary = Path(os.environ.get("STT_BINARY", ROOT / ".build" / "debug" / "stt-service"))
    assert binary.exists(), f"{binary} not found: run `swift build --product stt-service` first"
    data = tempfile.mkdtemp(prefix="stt-dashboard-")
    port, admin = free_port(), free_port()
    config = tmp_path_factory.mktemp("config") / "dashboard.yaml"
    config.write_text(f"admin:\n  port: {admin}\n  dashboard:\n    token: {TOKEN}\n")
    process = subprocess.Popen(
        [str(binary), "--config", str(config), "--port", str(port), "--data-dir", data, "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
    )
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=300)  # first start trains the default model
        yield channel, f"http://127.0.0.1:{admin}"
    finally:
        channel.close()
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={PHONE[0]},{PHONE[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=ChromeService(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def shot(browser, name):
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


# An iPhone-sized screen and a desktop one: the dashboard must read well on both.
PHONE, DESKTOP = (390, 844), (1280, 900)

LAYOUT_PROBLEMS = """
const problems = [];
if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('the page is wider than the window');
// Headers and status badges are one or two words: their text must stay on one line.
for (const el of document.querySelectorAll('th, .status')) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top)));
  if (lines.size > 1) problems.push('broken inside a word: ' + el.textContent);
}
for (const svg of document.querySelectorAll('svg')) {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  for (const text of svg.querySelectorAll('text')) {
    const size = parseFloat(text.getAttribute('font-size')) * scale;
    if (size < 9.5) problems.push(svg.id + ' text "' + text.textContent + '" is ' + size.toFixed(1) + ' px');
  }
}
return problems;
"""


def layout_problems(browser):
    return browser.execute_script(LAYOUT_PROBLEMS)


def dataset_zip(words):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for word in words:
            for clip in sorted((DATASET / word).glob("*.wav")):
                archive.write(clip, f"{word}/{clip.name}")
    return buffer.getvalue()


def upload(stub, training_pb2, model_id, payload, batch_size=1024 * 1024):
    count = max(1, -(-len(payload) // batch_size))
    pieces = (
        training_pb2.UploadInput(
            model_id=model_id, data=payload[(n - 1) * batch_size : n * batch_size], file_name="speech.zip",
            file_size=len(payload), batch_size=batch_size, batch_number=n, batch_count=count,
        )
        for n in range(1, count + 1)
    )
    return stub.upload_and_validate(pieces)


def test_wrong_token_is_refused(service, browser):
    _, admin = service
    browser.get(f"{admin}/dashboard")
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.ID, "token")))
    assert browser.current_url.endswith("/dashboard/login")
    browser.find_element(By.ID, "token").send_keys("not-the-token")
    browser.find_element(By.ID, "sign-in").click()
    error = WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.ID, "login-error")))
    assert "not right" in error.text
    shot(browser, "01-wrong-token")
    browser.get(f"{admin}/dashboard")
    assert browser.current_url.endswith("/dashboard/login"), "a refused sign-in must not open the dashboard"
    request = urllib.request.Request(f"{admin}/dashboard", headers={"Authorization": "Bearer not-the-token"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_model_from_validating_to_ready_with_heatmap(stubs, service, browser):
    training_pb2, training_pb2_grpc = stubs
    channel, admin = service
    stub = training_pb2_grpc.ModelStub(channel)

    browser.get(f"{admin}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    browser.find_element(By.ID, "sign-in").click()
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.ID, "jobs-queued")))
    shot(browser, "02-overview-empty")

    model_id = stub.create_model(
        training_pb2.NewModel(name="browser words", grpc_service_name="service.ExampleService", grpc_method_name="stt")
    ).model_id
    assert upload(stub, training_pb2, model_id, dataset_zip(["yes", "no", "stop"])).status == training_pb2.VALIDATING

    browser.get(f"{admin}/dashboard")
    row = WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, f"tr[data-model='{model_id}']"))
    )
    shot(browser, "03-overview-validating")
    assert "browser words" in row.text

    deadline = time.time() + 180
    while stub.get_model_status(training_pb2.ModelID(model_id=model_id)).status == training_pb2.VALIDATING:
        assert time.time() < deadline, "validation did not finish"
        time.sleep(0.5)
    assert stub.train_model(training_pb2.ModelID(model_id=model_id)).status == training_pb2.TRAINING

    # The model page refreshes itself while the model is busy; wait for it to show READY_TO_USE.
    browser.get(f"{admin}/dashboard/models/{model_id}")
    WebDriverWait(browser, 300, poll_frequency=1).until(
        lambda b: b.find_element(By.ID, "model-status").text == "READY_TO_USE"
    )
    history = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#history .status")]
    assert history[:5] == ["CREATED", "VALIDATING", "VALIDATED", "TRAINING", "READY_TO_USE"], history
    shot(browser, "04-model-ready")

    browser.get(f"{admin}/dashboard")
    status = browser.find_element(By.CSS_SELECTOR, f"tr[data-model='{model_id}'] .status")
    assert status.text == "READY_TO_USE"
    shot(browser, "05-overview-ready")
    browser.get(f"{admin}/dashboard/models/{model_id}")
    cells = browser.find_elements(By.CSS_SELECTOR, "#confusion g.cell rect")
    assert len(cells) == 9, "a 3-word model has a 3x3 confusion heat-map"
    # At both widths: no word broken, nothing wider than the screen, chart and heat-map text readable,
    # the heat-map filling its box, the chart with its axes and unit.
    for (width, height), name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        browser.set_window_size(width, height)
        for page, title in ((f"{admin}/dashboard", "overview"), (f"{admin}/dashboard/models/{model_id}", "model")):
            browser.get(page)
            problems = layout_problems(browser)
            shot(browser, f"06-{title}-{name}")
            assert problems == [], (name, title, problems)
        box = browser.execute_script("return document.getElementById('confusion').parentElement.getBoundingClientRect().width")
        heatmap = browser.execute_script("return document.getElementById('confusion').getBoundingClientRect().width")
        assert heatmap >= min(box * 0.8, 500), (name, heatmap, box)
        browser.get(f"{admin}/dashboard")
        axis = [text.text for text in browser.find_elements(By.CSS_SELECTOR, "#activity .axis-label")]
        assert "calls/min" in axis and "now" in axis and "60 min ago" in axis, axis
    browser.set_window_size(*PHONE)
    browser.get(f"{admin}/dashboard/models/{model_id}")
    figures = {row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text for row in browser.find_elements(By.CSS_SELECTOR, "#figures tr")}
    accuracy = next(value for key, value in figures.items() if key.endswith("Accuracy"))
    assert "%" in accuracy, figures
    assert browser.execute_script("return document.getElementById('confusion').getBoundingClientRect().width") > 50
