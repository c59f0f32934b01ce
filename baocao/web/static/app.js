// The page works without this script (plain form posts, the result page refreshes itself);
// it adds drag and drop, a check of the chosen files before upload, and live progress.
"use strict";

function megabytes(bytes) {
  return (bytes / 1048576).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + " MB";
}

function setUpUpload() {
  const form = document.getElementById("form-tai-len");
  if (!form) return;
  const input = document.getElementById("tep");
  const zone = document.getElementById("vung-tha");
  const list = document.getElementById("tep-da-chon");
  const problem = document.getElementById("loi-chon-tep");
  const button = document.getElementById("nut-lap-bao-cao");
  const maxFiles = Number(form.dataset.maxFiles);
  const maxFileBytes = Number(form.dataset.maxFileBytes);
  const maxRequestBytes = Number(form.dataset.maxRequestBytes);

  function chosenProblem(files) {
    if (files.length === 0) return "Chưa chọn tệp nào. Hãy kéo thả hoặc bấm “Chọn tệp” để chọn bảng tính .xlsx.";
    if (files.length > maxFiles)
      return `Đã chọn ${files.length} tệp; mỗi lần chỉ tải lên được tối đa ${maxFiles} tệp. Hãy chia thành nhiều lần.`;
    let total = 0;
    for (const f of files) {
      total += f.size;
      if (f.size > maxFileBytes)
        return `${f.name}: tệp lớn hơn ${megabytes(maxFileBytes)}. Bảng tính báo cáo chỉ cần vài chục KB.`;
    }
    if (total > maxRequestBytes)
      return `Các tệp đã chọn tổng cộng ${megabytes(total)}, quá ${megabytes(maxRequestBytes)} một lần. Hãy chia thành nhiều lần.`;
    return "";
  }

  function show() {
    list.replaceChildren();
    for (const f of input.files) {
      const item = document.createElement("li");
      item.textContent = `${f.name} (${Math.max(1, Math.round(f.size / 1024))} KB)`;
      list.append(item);
    }
    const text = input.files.length ? chosenProblem(input.files) : "";
    problem.textContent = text;
    problem.hidden = !text;
  }

  input.addEventListener("change", show);
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (e) => {
      e.preventDefault();
      zone.classList.add("over");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("over"));
  }
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  form.addEventListener("submit", (e) => {
    const text = chosenProblem(input.files);
    if (text) {
      e.preventDefault();
      problem.textContent = text;
      problem.hidden = false;
      return;
    }
    button.disabled = true;
    button.textContent = "Đang tải lên…";
  });
  // Back from the result page: the browser may restore a disabled button.
  window.addEventListener("pageshow", () => {
    button.disabled = false;
    button.textContent = "Kiểm tra và lập báo cáo";
  });
}

function followProgress() {
  const box = document.getElementById("ket-qua");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") return;
  const text = document.getElementById("tien-do-chu");
  const bar = document.getElementById("thanh-tien-do");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { cache: "no-store" });
      if (response.status === 404) {
        window.location.reload();
        return;
      }
      const status = await response.json();
      if (status.state === "done" || status.state === "failed") {
        window.location.reload();
        return;
      }
      text.textContent = status.stage || "Đang bắt đầu…";
      bar.max = Math.max(1, status.total);
      bar.value = status.done;
    } catch (err) {
      text.textContent = "Mất kết nối với trang; đang thử lại…";
    }
    window.setTimeout(poll, 500);
  }
  window.setTimeout(poll, 300);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpUpload();
  followProgress();
});
