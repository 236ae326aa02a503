/*
 * fanout-floor: the least a server can do to relay one live Ogg stream to many HTTP listeners, as the floor that
 * tools/bench-listeners.sh measures beside our server and Icecast. It reads an Ogg file made of 20 ms pages into
 * memory, answers every listener "HTTP/1.0 200 OK" and the two header pages, then every 20 ms sends the next page
 * to every listener: one non-blocking send(2) per page per listener, and nothing else (no burst, no queue, no
 * protocol, no parsing of what the listener sent). A listener whose socket does not take a whole page is closed:
 * the floor is the cost of listeners that keep up. Whatever CPU it spends per listener is what the kernel's sends
 * cost plus the smallest loop around them; no program can relay the same pages for less.
 *
 * Usage: fanout-floor FILE.ogg PORT [MAX_LISTENERS=4096]   (binds 127.0.0.1; runs until killed)
 * Build: cc -O2 -o fanout-floor tools/fanout-floor.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct page { const unsigned char *data; size_t length; };

static unsigned char *read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "%s: cannot read\n", path); exit(1); }
    fclose(f);
    *length = (size_t)size;
    return data;
}

/* Splits the file into pages: "OggS", 27 header bytes, a segment table, the body. */
static struct page *split_pages(const unsigned char *data, size_t length, size_t *count)
{
    size_t capacity = 1024, n = 0, at = 0;
    struct page *pages = malloc(capacity * sizeof *pages);
    while (at + 27 <= length && memcmp(data + at, "OggS", 4) == 0) {
        size_t segments = data[at + 26], body = 0;
        if (at + 27 + segments > length) break;
        for (size_t i = 0; i < segments; i++) body += data[at + 27 + i];
        size_t page_length = 27 + segments + body;
        if (at + page_length > length) break;
        if (n == capacity) pages = realloc(pages, (capacity *= 2) * sizeof *pages);
        pages[n].data = data + at;
        pages[n].length = page_length;
        n++;
        at += page_length;
    }
    *count = n;
    return pages;
}

static int send_all_now(int fd, const void *data, size_t length)
{
    ssize_t sent = send(fd, data, length, MSG_DONTWAIT | MSG_NOSIGNAL);
    return sent == (ssize_t)length;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: fanout-floor FILE.ogg PORT [MAX_LISTENERS]\n"); return 2; }
    size_t length, count;
    unsigned char *data = read_file(argv[1], &length);
    struct page *pages = split_pages(data, length, &count);
    if (count < 3) { fprintf(stderr, "%s: not an Ogg stream of header pages and audio pages\n", argv[1]); return 1; }
    int max = argc > 3 ? atoi(argv[3]) : 4096;
    int *clients = malloc((size_t)max * sizeof *clients), n = 0;

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) { perror("listen"); return 1; }
    printf("fanout-floor: %zu pages, listening on 127.0.0.1:%s\n", count, argv[2]);
    fflush(stdout);

    static const char answer[] = "HTTP/1.0 200 OK\r\nContent-Type: application/ogg\r\nCache-Control: no-cache\r\n\r\n";
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (size_t i = 2;; i = i + 1 < count ? i + 1 : 2) {
        int fd;
        while (n < max && (fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (send_all_now(fd, answer, sizeof answer - 1) && send_all_now(fd, pages[0].data, pages[0].length) && send_all_now(fd, pages[1].data, pages[1].length))
                clients[n++] = fd;
            else
                close(fd);
        }

        for (int c = 0; c < n;) {
            if (send_all_now(clients[c], pages[i].data, pages[i].length)) { c++; continue; }
            close(clients[c]);
            clients[c] = clients[--n];
        }

        next.tv_nsec += 20 * 1000 * 1000;
        if (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) { }
    }
}
