;;; check.el --- Drives the Entente language server from Emacs's eglot (1.9+), in batch -*- lexical-binding: t -*-
;;
;;   ENTENTE_SERVER=bin/entente-language-server ENTENTE_WORKSPACE=<copy of examples/nfm-paper> \
;;     emacs --batch -l test/editors/check.el
;;
;; Checks diagnostics (through Flymake), completion (through eglot's completion-at-point
;; function) and hover on paper.md; prints one JSON line of results and exits 0 when every
;; check passed, 1 otherwise.  Started by test/editors/run.mjs.

(require 'package)
(package-initialize)                    ; Debian's elpa-eglot lives in the system package directory
(require 'eglot)
(require 'flymake)
(require 'json)
(require 'cl-lib)

(defvar entente-root (file-name-as-directory (or (getenv "ENTENTE_WORKSPACE") (error "ENTENTE_WORKSPACE is not set"))))
(defvar entente-server (or (getenv "ENTENTE_SERVER") (error "ENTENTE_SERVER is not set")))
(defvar entente-timeout 15)
(defvar entente-results nil)

(defun entente-check (name ok &optional detail)
  (push `((name . ,name) (ok . ,(if ok t :json-false)) (detail . ,(or detail ""))) entente-results))

(defun entente-wait (predicate)
  "Process events until PREDICATE returns non-nil or `entente-timeout' seconds pass."
  (let ((deadline (+ (float-time) entente-timeout)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

;; Emacs has no Markdown mode of its own: a minimal one, so that eglot's language id is "markdown".
(unless (fboundp 'markdown-mode)
  (define-derived-mode markdown-mode text-mode "Markdown"))
(add-to-list 'auto-mode-alist '("\\.md\\'" . markdown-mode))
(add-to-list 'eglot-server-programs `((markdown-mode latex-mode) . ("node" ,entente-server "--stdio")))
(setq eglot-sync-connect entente-timeout
      eglot-autoshutdown t
      eglot-events-buffer-size 0)

(condition-case err
    (progn
      (find-file (expand-file-name "paper.md" entente-root))
      (apply #'eglot (eglot--guess-contact))
      (let ((server (eglot-current-server)))
        (entente-check "the server starts and initializes" (and server (jsonrpc-running-p server)))

        ;; Diagnostics, as Flymake shows them: "entente [citation.undefined]: No bibliography entry ...".
        (let ((diagnostic
               (entente-wait
                (lambda ()
                  (flymake-start)
                  (cl-find-if (lambda (d) (string-match-p "citation\\.undefined" (flymake-diagnostic-text d)))
                              (flymake-diagnostics))))))
          (entente-check "diagnostics report citation.undefined for duffeild1994nato"
                         (and diagnostic
                              (equal (buffer-substring (flymake-diagnostic-beg diagnostic) (flymake-diagnostic-end diagnostic))
                                     "duffeild1994nato"))
                         (if diagnostic (flymake-diagnostic-text diagnostic) "none")))

        ;; Completion after "[@bisc", through eglot's completion-at-point function, in its display order.
        (goto-char (point-max))
        (insert "\nAs argued in [@bisc")
        (eglot--signal-textDocument/didChange)
        (let* ((capf (eglot-completion-at-point))
               (table (nth 2 capf))
               (probe (buffer-substring (nth 0 capf) (nth 1 capf)))
               (candidates (funcall table probe nil t))
               (sort (alist-get 'display-sort-function (cdr (funcall table probe nil 'metadata))))
               (sorted (if sort (funcall sort candidates) candidates))
               (first (car sorted)))
          (entente-check "completion after [@bisc offers biscop2022new first"
                         (equal (and first (substring-no-properties first)) "biscop2022new")
                         (format "%S of %d" (and first (substring-no-properties first)) (length sorted))))
        (delete-region (- (point-max) (length "\nAs argued in [@bisc")) (point-max))
        (eglot--signal-textDocument/didChange)

        ;; Hover on a citation key.
        (goto-char (point-min))
        (search-forward "@biscop2022new")
        (backward-char 5)
        (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
               (text (and hover (eglot--hover-info (plist-get hover :contents)))))
          (entente-check "hover on @biscop2022new shows the reference"
                         (and text (string-match-p (regexp-quote "Biscop, S. (2022)") text))
                         (and text (substring-no-properties text 0 (min 120 (length text))))))))
  (error (entente-check "the script ran" nil (error-message-string err))))

(let ((failed (cl-count-if (lambda (r) (eq (alist-get 'ok r) :json-false)) entente-results)))
  (princ (concat (json-encode `((editor . "emacs") (version . ,emacs-version)
                                (eglot . ,(let ((desc (cadr (assq 'eglot package-alist))))
                                            (if desc (package-version-join (package-desc-version desc)) "built-in")))
                                (results . ,(vconcat (reverse entente-results)))))
                 "\n"))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if (zerop failed) 0 1)))
;;; check.el ends here
