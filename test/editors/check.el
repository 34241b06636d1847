;;; check.el --- Drives the Entente language server from Emacs's eglot (1.9+), in batch -*- lexical-binding: t -*-
;;
;;   ENTENTE_SERVER=bin/entente-language-server ENTENTE_WORKSPACE=<copy of examples/nfm-paper> \
;;     emacs --batch -l test/editors/check.el
;;
;; Checks diagnostics (through Flymake), completion (through eglot's completion-at-point
;; function) and hover on paper.md, and settings given as eglot gives them: a master library
;; (~/library.bib) in the server contact's `:initializationOptions', and the `:entente' section of
;; `eglot-workspace-configuration' (sent on connect and answered to workspace/configuration).
;; Prints one JSON line of results and exits 0 when every check passed, 1 otherwise.  Started by
;; test/editors/run.mjs.

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

(defun entente-complete-at-end (text)
  "Completion candidates after TEXT on a new last line, through eglot's completion-at-point function,
in its display order, as plain strings; the line is removed again."
  (goto-char (point-max))
  (insert "\n" text)
  (eglot--signal-textDocument/didChange)
  (let* ((capf (eglot-completion-at-point))
         (table (nth 2 capf))
         (probe (buffer-substring (nth 0 capf) (nth 1 capf)))
         (candidates (funcall table probe nil t))
         (sort (alist-get 'display-sort-function (cdr (funcall table probe nil 'metadata))))
         (sorted (mapcar #'substring-no-properties (if sort (funcall sort candidates) candidates))))
    (delete-region (- (point-max) (1+ (length text))) (point-max))
    (eglot--signal-textDocument/didChange)
    sorted))

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
(add-to-list 'eglot-server-programs
             `((markdown-mode latex-mode)
               . ("node" ,entente-server "--stdio"
                  :initializationOptions (:bibliography (:files ["~/library.bib"])))))
;; One invalid setting (maxItems), which the server must report once.
(setq-default eglot-workspace-configuration
              '(:entente (:glossary (:firstUse "warning") :completion (:maxItems "many"))))

;; What the server asks for and logs (eglot itself ignores window/logMessage).
(defvar entente-asked nil)
(defvar entente-logs nil)
(cl-defmethod eglot-handle-request :before (_server (_method (eql workspace/configuration)) &key items &allow-other-keys)
  (setq entente-asked (append entente-asked (append items nil))))
(cl-defmethod eglot-handle-notification :before (_server (_method (eql window/logMessage)) &key type message &allow-other-keys)
  (push (cons type message) entente-logs))
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

        ;; Settings: glossary.firstUse from the workspace configuration makes the first use of VJTF a warning.
        (let ((first-use
               (entente-wait
                (lambda ()
                  (flymake-start)
                  (cl-find-if (lambda (d) (and (string-match-p "glossary\\.first-use" (flymake-diagnostic-text d))
                                               (eq (flymake-diagnostic-type d) 'eglot-warning)))
                              (flymake-diagnostics))))))
          (entente-check "settings: glossary.first-use is a warning (glossary.firstUse from eglot-workspace-configuration)"
                         first-use
                         (format "%S" (mapcar (lambda (d) (cons (flymake-diagnostic-type d) (flymake-diagnostic-text d))) (flymake-diagnostics)))))
        (entente-check "settings: the server asks for the settings of the workspace folder (scopeUri)"
                       (cl-find-if (lambda (item)
                                     (and (equal (plist-get item :section) "entente")
                                          (equal (directory-file-name (eglot--uri-to-path (or (plist-get item :scopeUri) "")))
                                                 (directory-file-name (file-truename entente-root)))))
                                   entente-asked)
                       (format "%S" entente-asked))

        ;; Settings: the master library of :initializationOptions survives the workspace configuration.
        (let ((candidates (entente-complete-at-end "See [@entente2024")))
          (entente-check "settings: completion offers the master library of :initializationOptions (~/library.bib)"
                         (equal (car candidates) "entente2024library")
                         (format "%S of %d" (car candidates) (length candidates))))

        (let ((warnings (cl-remove-if-not (lambda (l) (and (eql (car l) 2) (string-match-p "entente\\.completion\\.maxItems" (cdr l)))) entente-logs))
              (errors (cl-remove-if-not (lambda (l) (eql (car l) 1)) entente-logs)))
          (entente-check "settings: the invalid completion.maxItems is reported once, as a warning" (= (length warnings) 1) (format "%S" warnings))
          (entente-check "no error in the server log" (null errors) (format "%S" errors)))

        ;; Completion after "[@bisc", through eglot's completion-at-point function, in its display order.
        (let ((sorted (entente-complete-at-end "As argued in [@bisc")))
          (entente-check "completion after [@bisc offers biscop2022new first"
                         (equal (car sorted) "biscop2022new")
                         (format "%S of %d" (car sorted) (length sorted))))

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
